import { Link, useParams, useSearchParams } from 'react-router';
import { isEntityType, isGraphSource } from '../../../domain/vocabulary';
import type { Entity, History, Impact } from '../api';
import { useAsOf, withAsOf } from '../as-of';
import { EntityHeader } from '../entity-header';
import { HistoryTimeline } from '../history-timeline';
import { ImpactPanel } from '../impact-panel';
import { apiPath, entityPath } from '../links';
import { LineageView } from '../lineage/lineage-view';
import { Relationships } from '../panels/relationships';
import { TypePanel } from '../panels/type-panel';
import { usePortal } from '../portal-context';
import { useApi } from '../use-api';

const VIEWS = [
  ['overview', 'Overview'],
  ['lineage', 'Lineage'],
  ['impact', 'Impact'],
  ['history', 'History'],
] as const;
type View = (typeof VIEWS)[number][0];

/** One entity: the shared frame, then its overview (the panel made for its kind), lineage, impact or history. */
export function EntityPage() {
  const { type = '', source = '', nativeId = '' } = useParams();
  const [params] = useSearchParams();
  const [asOf] = useAsOf();
  const { signOut } = usePortal();
  const valid = isEntityType(type) && isGraphSource(source);
  const ref = valid ? { type, source, nativeId } : null;
  const view: View = VIEWS.find(([v]) => v === params.get('view'))?.[0] ?? 'overview';
  const entity = useApi<Entity>(ref ? apiPath(ref) : null, { asOf });
  if (!ref)
    return (
      <p role="alert">
        There is no entity type “{type}” from “{source}”.
      </p>
    );
  if (entity.error)
    return (
      <div role="alert">
        <h1>{nativeId}</h1>
        <p>{entity.error.message}</p>
        {entity.error.message.includes('token') && (
          <button type="button" onClick={signOut}>
            Sign in again
          </button>
        )}
      </div>
    );
  if (!entity.data) return <p className="muted">Loading…</p>;
  const e = entity.data;
  const base = entityPath(ref);
  return (
    <article className="entity-page">
      {asOf && <p className="as-of-banner">As the graph stood at {asOf}.</p>}
      <EntityHeader entity={e} asOf={asOf} />
      <nav className="tabs" aria-label="Views">
        {VIEWS.map(([v, label]) => (
          <Link key={v} to={withAsOf(v === 'overview' ? base : `${base}?view=${v}`, asOf)} aria-current={v === view ? 'page' : undefined}>
            {label}
          </Link>
        ))}
        <Link to={withAsOf(`/paths?from=${encodeURIComponent(e.uri)}`, asOf)}>Paths from here</Link>
      </nav>
      {view === 'overview' && (
        <>
          <TypePanel entity={e} asOf={asOf} />
          <Relationships entity={e} asOf={asOf} />
          <details className="card wide">
            <summary>All attributes</summary>
            <pre>{JSON.stringify(e.attributes, null, 2)}</pre>
          </details>
        </>
      )}
      {view === 'lineage' && <LineageView uri={e.uri} name={e.name} type={e.type} asOf={asOf} />}
      {view === 'impact' && <ImpactView path={apiPath(ref, '/impact')} asOf={asOf} fileName={`impact-${nativeId}.csv`} />}
      {view === 'history' && <HistoryView path={apiPath(ref, '/history')} asOf={asOf} />}
    </article>
  );
}

function ImpactView({ path, asOf, fileName }: { path: string; asOf: string | null; fileName: string }) {
  const impact = useApi<Impact>(path, { depth: 5, asOf });
  if (impact.error) return <p role="alert">{impact.error.message}</p>;
  return impact.data ? <ImpactPanel impact={impact.data} asOf={asOf} fileName={fileName} /> : <p className="muted">Loading…</p>;
}

function HistoryView({ path, asOf }: { path: string; asOf: string | null }) {
  const history = useApi<History>(path, { asOf });
  if (history.error) return <p role="alert">{history.error.message}</p>;
  return history.data ? <HistoryTimeline history={history.data} /> : <p className="muted">Loading…</p>;
}
