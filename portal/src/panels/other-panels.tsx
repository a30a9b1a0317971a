import type { Entity } from '../api';
import { dateTime, duration } from '../format';
import { EntityList } from './entity-list';
import { OwnedQualityPanel } from './quality-panel';
import { isFailed, related, runStatus, str } from './related';

/** An A/B test: its cells and the model instances tested in it. */
export function AbTestPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  return (
    <div className="panels">
      <EntityList title="Cells" entities={related(entity, 'cell_of', 'in')} asOf={asOf} />
      <EntityList title="Model instances tested" entities={related(entity, 'tested_in', 'in')} asOf={asOf} />
    </div>
  );
}

/** An A/B test cell: its test and the runs executed for it. */
export function CellPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  return (
    <div className="panels">
      <EntityList title="A/B test" entities={related(entity, 'cell_of', 'out')} asOf={asOf} />
      <EntityList title="Runs executed for this cell" entities={related(entity, 'executed_for', 'in')} asOf={asOf} />
    </div>
  );
}

/** A user or a team: what they own, and who belongs to what. */
export function OwnerPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const owned = [...related(entity, 'owned_by', 'in'), ...related(entity, 'owned_by_team', 'in')];
  return (
    <div className="panels">
      <EntityList title="Owns" entities={owned} asOf={asOf} />
      {entity.type === 'team' ? (
        <EntityList title="Members" entities={related(entity, 'member_of', 'in')} asOf={asOf} />
      ) : (
        <EntityList title="Teams" entities={related(entity, 'member_of', 'out')} asOf={asOf} />
      )}
      <OwnedQualityPanel entity={entity} asOf={asOf} />
    </div>
  );
}

/** A service: the model instances deployed to it. */
export function ServicePanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  return <EntityList title="Deployed model instances" entities={related(entity, 'deployed_to', 'in')} asOf={asOf} />;
}

/** A pipeline run: status and times (failures with their message), what it read and wrote, its pipeline. */
export function RunPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const status = runStatus(entity);
  const started = str(entity.attributes.startedAt);
  const ended = str(entity.attributes.endedAt);
  const error = str(entity.attributes.errorMessage);
  return (
    <div className="panels">
      <section className="card" aria-label="Run">
        <h3>Run</h3>
        <p>
          <span className={`pill${isFailed(status) ? ' failed' : ''}`}>{status}</span> {dateTime(started)} → {dateTime(ended)} (
          {duration(started, ended)})
        </p>
        {error && <p className="error">{error}</p>}
      </section>
      <EntityList title="Pipeline" entities={[...related(entity, 'run_of', 'out'), ...related(entity, 'part_of', 'out')]} asOf={asOf} />
      <EntityList title="Read" entities={related(entity, 'reads', 'out')} asOf={asOf} />
      <EntityList title="Wrote" entities={related(entity, 'writes', 'out')} asOf={asOf} />
      <EntityList title="Produced" entities={related(entity, 'produced_by', 'in')} asOf={asOf} />
      <EntityList title="Executed for A/B test cells" entities={related(entity, 'executed_for', 'out')} asOf={asOf} />
    </div>
  );
}
