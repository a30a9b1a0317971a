import { useEffect, useState } from 'react';
import { Link, Outlet } from 'react-router';
import { getJson, token, type PortalConfig } from './api';
import { withAsOf, useAsOf } from './as-of';
import { PortalContext } from './portal-context';
import { SearchBox } from './search-box';
import { SignIn } from './sign-in';
import { TimeControl } from './time-control';

/** Every page's frame: the search box, the time control and the way to the status page. */
export function Layout() {
  const [config, setConfig] = useState<PortalConfig | null>(null);
  const [signedIn, setSignedIn] = useState(() => token.get() !== null);
  const [asOf] = useAsOf();
  useEffect(() => {
    void getJson<PortalConfig>('/portal/config.json').then(setConfig, () => setConfig({ temporalUi: '', namespace: '', openReads: false }));
  }, []);
  if (!config) return null;
  const needsToken = !config.openReads && !signedIn;
  return (
    <PortalContext.Provider value={{ config, signOut: () => (token.clear(), setSignedIn(false)) }}>
      <header className="top">
        <Link to={withAsOf('/', asOf)} className="brand">
          Model Lifecycle Graph
        </Link>
        {!needsToken && <SearchBox />}
        {!needsToken && <TimeControl />}
        <nav aria-label="Operations">
          <Link to="/status">Status</Link>
        </nav>
      </header>
      <main>{needsToken ? <SignIn onSignedIn={() => setSignedIn(true)} /> : <Outlet />}</main>
    </PortalContext.Provider>
  );
}
