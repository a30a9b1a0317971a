import { useEffect, useState } from 'react';
import { Link, Outlet } from 'react-router';
import { getJson, token, type PortalConfig, type SessionInfo } from './api';
import { withAsOf, useAsOf } from './as-of';
import { PortalContext } from './portal-context';
import { SearchBox } from './search-box';
import { SignIn } from './sign-in';
import { TimeControl } from './time-control';

/** Every page's frame: the search box, the time control and the way to the status page. */
export function Layout() {
  const [config, setConfig] = useState<PortalConfig | null>(null);
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [signedIn, setSignedIn] = useState(() => token.get() !== null);
  const [asOf] = useAsOf();
  useEffect(() => {
    void getJson<PortalConfig>('/portal/config.json').then(
      (c) => {
        setConfig(c);
        if (c.signIn)
          void getJson<SessionInfo>('/auth/session').then(setSession, () => setSession({ signedIn: false, subject: null, scopes: [] }));
      },
      () => setConfig({ temporalUi: '', namespace: '', openReads: false, signIn: false }),
    );
  }, []);
  if (!config || (config.signIn && !session)) return null;
  const bySession = session?.signedIn === true;
  // Signed in, but the provider gives this person no scope that reads: a page that says so.
  if (bySession && !signedIn && !config.openReads && !session.scopes.some((s) => s === 'read' || s === 'admin'))
    return <NotAllowed subject={session.subject ?? ''} />;
  const needsToken = !config.openReads && !signedIn && !bySession;
  const signOut = (): void => {
    token.clear();
    setSignedIn(false);
    if (bySession) window.location.assign('/auth/sign-out');
  };
  return (
    <PortalContext.Provider value={{ config, signOut }}>
      <header className="top">
        <Link to={withAsOf('/', asOf)} className="brand">
          Model Lifecycle Graph
        </Link>
        {!needsToken && <SearchBox />}
        {!needsToken && <TimeControl />}
        <nav aria-label="Operations">
          <Link to="/status">Status</Link>
          {bySession && (
            <a href="/auth/sign-out" className="sign-out">
              Sign out {session.subject}
            </a>
          )}
        </nav>
      </header>
      <main>{needsToken ? <SignIn withProvider={config.signIn} onSignedIn={() => setSignedIn(true)} /> : <Outlet />}</main>
    </PortalContext.Provider>
  );
}

/** Signed in with the identity provider, without a group that may read the graph. */
function NotAllowed({ subject }: { subject: string }) {
  return (
    <main className="sign-in" role="alert">
      <h1>No access</h1>
      <p>You are signed in as {subject}, but your groups give you no access to the graph. Ask for the read group, then sign in again.</p>
      <a href="/auth/sign-out">Sign out</a>
    </main>
  );
}
