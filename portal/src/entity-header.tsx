import type { Entity } from './api';
import { ago, dateTime, typeLabel } from './format';
import { EntityLink } from './panels/entity-list';
import { usePortal } from './portal-context';

/** Temporal's UI, listing the workflows that keep this entity (found by their MlgUri search attribute). */
function workflowsLink(temporalUi: string, namespace: string, uri: string): string {
  const query = encodeURIComponent(`MlgUri="${uri}"`);
  return `${temporalUi}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${query}`;
}

/** The frame every entity page shares: what it is, who owns it, its tags, its state and how fresh it is. */
export function EntityHeader({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const { config } = usePortal();
  const stale = entity.lastHydratedAt !== null && Date.now() - Date.parse(entity.lastHydratedAt) > 86_400_000;
  return (
    <header className="entity-header">
      <p className="kind">
        <span className={`type-badge t-${entity.type}`}>{typeLabel(entity.type)}</span> from {entity.source}
      </p>
      <h1>{entity.name}</h1>
      {entity.description && <p className="description">{entity.description}</p>}
      <dl className="facts">
        <div>
          <dt>Owners</dt>
          <dd>
            {entity.owners.length + entity.teams.length === 0
              ? 'nobody'
              : [...entity.owners, ...entity.teams].map((o, i) => (
                  <span key={o.uri}>
                    {i > 0 && ', '}
                    <EntityLink entity={o} asOf={asOf} />
                  </span>
                ))}
          </dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>
            <span className={`pill state-${entity.state}`}>{entity.state}</span>
          </dd>
        </div>
        <div>
          <dt>Hydrated</dt>
          <dd title={dateTime(entity.lastHydratedAt)} className={stale ? 'stale' : undefined}>
            {asOf ? 'not kept for past times' : ago(entity.lastHydratedAt)}
          </dd>
        </div>
        <div>
          <dt>Enriched</dt>
          <dd title={dateTime(entity.lastEnrichedAt)}>{asOf ? 'not kept for past times' : ago(entity.lastEnrichedAt)}</dd>
        </div>
        {entity.quality && (
          <div>
            <dt>Quality</dt>
            <dd className={entity.quality.signals.length > 0 ? 'stale' : undefined}>
              {entity.quality.score}/100{entity.quality.signals.length === 0 ? ', no signal' : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>Updated</dt>
          <dd>{dateTime(entity.updatedAt)}</dd>
        </div>
      </dl>
      {entity.quality && entity.quality.signals.length > 0 && (
        <ul className="signals" aria-label="Quality signals">
          {entity.quality.signals.map((sig) => (
            <li key={sig.code} className={`signal-${sig.severity}`}>
              <strong>{sig.code}</strong>: {sig.explanation} <span title={dateTime(sig.since)}>Found {ago(sig.since)}.</span>
            </li>
          ))}
        </ul>
      )}
      {entity.quality && entity.quality.past.length > 0 && (
        <details className="past-signals">
          <summary>{entity.quality.past.length} resolved signals</summary>
          <ul aria-label="Resolved quality signals">
            {entity.quality.past.map((p) => (
              <li key={`${p.code} ${p.since}`}>
                <strong>{p.code}</strong>: found {dateTime(p.since)}, resolved {dateTime(p.until)}
              </li>
            ))}
          </ul>
        </details>
      )}
      {entity.tags.length > 0 && (
        <ul className="tags" aria-label="Tags">
          {entity.tags.map((t) => (
            <li key={`${t.tag}:${t.value}`}>
              {t.tag}: {t.value}
            </li>
          ))}
        </ul>
      )}
      {config.temporalUi && entity.type !== 'user' && (
        <p>
          <a href={workflowsLink(config.temporalUi, config.namespace, entity.uri)} target="_blank" rel="noreferrer">
            Its workflows in the Temporal UI
          </a>
        </p>
      )}
    </header>
  );
}
