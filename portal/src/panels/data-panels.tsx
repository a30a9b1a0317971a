import { parseUri } from '../../../domain/uri';
import type { ColumnLineage, Entity } from '../api';
import { dateTime, duration } from '../format';
import { apiPath, labelOfUri } from '../links';
import { useApi } from '../use-api';
import { EntityLink, EntityList } from './entity-list';
import { isFailed, PANEL_LIMIT, related, runStatus, str, useEntities } from './related';
import { DuplicatesPanel } from './suggestions-panel';

/** A feature: the datasets it is derived from, and the model instances that use it. */
export function FeaturePanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  return (
    <div className="panels">
      <EntityList title="Source datasets" entities={related(entity, 'derived_from', 'out')} asOf={asOf} />
      <EntityList title="Used by model instances" entities={related(entity, 'uses_feature', 'in')} asOf={asOf} />
      <DuplicatesPanel entity={entity} asOf={asOf} />
    </div>
  );
}

/** A pipeline: its runs (failures stand out), schedule, and what its runs read and write. */
export function PipelinePanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const runRefs = related(entity, 'run_of', 'in');
  const runs = useEntities(
    runRefs.map((r) => r.uri),
    asOf,
  );
  const sorted = [...(runs ?? [])].sort((a, b) => (str(b.attributes.startedAt) ?? '').localeCompare(str(a.attributes.startedAt) ?? ''));
  const schedule = str(entity.attributes.schedule);
  const inputs = dedupe((runs ?? []).flatMap((r) => related(r, 'reads', 'out')).concat(related(entity, 'reads', 'out')));
  const outputs = dedupe(
    (runs ?? []).flatMap((r) => related(r, 'writes', 'out')).concat(related(entity, 'writes', 'out'), related(entity, 'produced_by', 'in')),
  );
  return (
    <div className="panels">
      <section className="card wide" aria-label="Runs">
        <h3>
          Runs <span className="count">{runRefs.length}</span>
          {schedule && <span className="muted"> · schedule {schedule}</span>}
        </h3>
        {runRefs.length > PANEL_LIMIT && <p className="muted">The {PANEL_LIMIT} listed first are shown.</p>}
        <table>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((run) => {
              const status = runStatus(run);
              return (
                <tr key={run.uri} className={isFailed(status) ? 'failed' : undefined}>
                  <td>
                    <EntityLink entity={run} asOf={asOf} />
                  </td>
                  <td>
                    <span className={`pill${isFailed(status) ? ' failed' : ''}`}>{status}</span>
                  </td>
                  <td>{dateTime(str(run.attributes.startedAt))}</td>
                  <td>{duration(str(run.attributes.startedAt), str(run.attributes.endedAt))}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
      <EntityList title="Inputs" entities={inputs} asOf={asOf} />
      <EntityList title="Outputs" entities={outputs} asOf={asOf} />
    </div>
  );
}

const dedupe = <T extends { uri: string }>(list: readonly T[]): T[] => [...new Map(list.map((e) => [e.uri, e])).values()];

interface Column {
  readonly name: string;
  readonly type: string | null;
}
const columnsOf = (schema: unknown): Column[] =>
  Array.isArray(schema)
    ? schema.flatMap((c: { name?: unknown; type?: unknown }) => (typeof c.name === 'string' ? [{ name: c.name, type: str(c.type) }] : []))
    : [];

/** A dataset: its schema with each column's upstream columns, its producers, consumers and version. */
export function DatasetPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const columns = columnsOf(entity.attributes.schema);
  const lineage = useApi<ColumnLineage>(apiPath(parseUri(entity.uri), '/column-lineage'), { direction: 'upstream', depth: 1 });
  const upstreamOf = (field: string) => (lineage.data?.steps ?? []).filter((s) => s.to.dataset === entity.uri && s.to.field === field);
  const version = str(entity.attributes.latestVersion) ?? str(entity.attributes.version);
  return (
    <div className="panels">
      <section className="card wide" aria-label="Schema">
        <h3>
          Schema <span className="count">{columns.length}</span>
          {version && <span className="muted"> · version {version}</span>}
          {str(entity.attributes.location) && <span className="muted"> · {str(entity.attributes.location)}</span>}
        </h3>
        {columns.length === 0 ? (
          <p className="muted">No schema is known.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Column</th>
                <th scope="col">Type</th>
                <th scope="col">Comes from</th>
              </tr>
            </thead>
            <tbody>
              {columns.map((c) => (
                <tr key={c.name}>
                  <td>{c.name}</td>
                  <td>{c.type ?? '—'}</td>
                  <td>
                    {upstreamOf(c.name)
                      .map((s) => `${labelOfUri(s.from.dataset)}.${s.from.field}`)
                      .join(', ') || '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <EntityList
        title="Produced by"
        entities={[...related(entity, 'produced_by', 'out'), ...related(entity, 'writes', 'in')]}
        asOf={asOf}
      />
      <EntityList
        title="Downstream consumers"
        entities={[...related(entity, 'derived_from', 'in'), ...related(entity, 'reads', 'in')]}
        asOf={asOf}
      />
      <EntityList
        title="Same physical dataset"
        entities={[...related(entity, 'same_as', 'out'), ...related(entity, 'same_as', 'in')]}
        asOf={asOf}
      />
      <DuplicatesPanel entity={entity} asOf={asOf} />
      <p className="muted">Updated {dateTime(entity.updatedAt)}</p>
    </div>
  );
}
