import { Link } from 'react-router';
import { withAsOf } from '../as-of';
import { typeLabel } from '../format';
import { pathOfUri } from '../links';

export interface Named {
  readonly uri: string;
  readonly name: string;
  readonly type?: string;
}

/** A link to an entity's page that keeps the page's time. */
export function EntityLink({ entity, asOf }: { entity: Named; asOf: string | null }) {
  const path = pathOfUri(entity.uri);
  return path ? <Link to={withAsOf(path, asOf)}>{entity.name}</Link> : <span>{entity.name}</span>;
}

/** A titled list of linked entities, or a plain "none". */
export function EntityList({
  title,
  entities,
  asOf,
  empty = 'None.',
}: {
  title: string;
  entities: readonly Named[];
  asOf: string | null;
  empty?: string;
}) {
  return (
    <section className="card" aria-label={title}>
      <h3>
        {title} <span className="count">{entities.length}</span>
      </h3>
      {entities.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="entity-list">
          {entities.map((e) => (
            <li key={e.uri}>
              <EntityLink entity={e} asOf={asOf} />
              {e.type && <span className={`type-badge t-${e.type}`}>{typeLabel(e.type)}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
