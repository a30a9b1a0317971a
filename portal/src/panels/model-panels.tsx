import type { Entity, Usage } from '../api';
import { dateTime } from '../format';
import { apiPath } from '../links';
import { parseUri } from '../../../domain/uri';
import { useApi } from '../use-api';
import { EntityLink, EntityList } from './entity-list';
import { related, runStatus, str, useEntities, isFailed } from './related';
import { SuggestionsPanel } from './suggestions-panel';

/** A model: its instances as a timeline (version, status, where deployed, the A/B tests it ran in). */
export function ModelPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const versions = related(entity, 'version_of', 'in');
  const instances = useEntities(
    versions.map((v) => v.uri),
    asOf,
  );
  const sorted = [...(instances ?? [])].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
  return (
    <div className="panels">
      <section className="card wide" aria-label="Instances">
        <h3>
          Instances <span className="count">{versions.length}</span>
        </h3>
        {instances === null ? (
          <p className="muted">Loading…</p>
        ) : (
          <ol className="timeline">
            {sorted.map((i) => (
              <li key={i.uri}>
                <time>{dateTime(i.createdAt)}</time>
                <div>
                  <EntityLink entity={i} asOf={asOf} /> <span className="pill">{str(i.attributes.status) ?? i.state}</span>
                  <p className="muted">
                    Deployed to {names(related(i, 'deployed_to', 'out'))} · A/B tests {names(related(i, 'tested_in', 'out'))}
                  </p>
                </div>
              </li>
            ))}
          </ol>
        )}
      </section>
      <SuggestionsPanel entity={entity} asOf={asOf} />
    </div>
  );
}

const names = (list: readonly { name: string }[]): string => (list.length === 0 ? 'none' : list.map((r) => r.name).join(', '));

/** A model instance: the run that produced it, its features, its A/B tests and services. */
export function InstancePanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const runs = related(entity, 'produced_by', 'out');
  const produced = useEntities(
    runs.map((r) => r.uri),
    asOf,
  );
  const usage = useApi<Usage>(apiPath(parseUri(entity.uri), '/usage'), { asOf });
  return (
    <div className="panels">
      <section className="card" aria-label="Produced by">
        <h3>Produced by</h3>
        {runs.length === 0 && <p className="muted">No run is known.</p>}
        {produced?.map((run) => {
          const status = runStatus(run);
          return (
            <p key={run.uri}>
              <EntityLink entity={run} asOf={asOf} /> <span className={`pill${isFailed(status) ? ' failed' : ''}`}>{status}</span>
              <br />
              <span className="muted">
                {dateTime(str(run.attributes.startedAt))} → {dateTime(str(run.attributes.endedAt))}
              </span>
            </p>
          );
        })}
      </section>
      <EntityList title="Features" entities={related(entity, 'uses_feature', 'out')} asOf={asOf} />
      <EntityList title="A/B tests" entities={usage.data?.abTests ?? related(entity, 'tested_in', 'out')} asOf={asOf} />
      <EntityList title="Services" entities={usage.data?.services ?? related(entity, 'deployed_to', 'out')} asOf={asOf} />
      <SuggestionsPanel entity={entity} asOf={asOf} />
    </div>
  );
}
