import type { Entity } from '../api';
import { predicateLabel, typeLabel } from '../format';
import { labelOfUri } from '../links';
import { EntityLink } from './entity-list';

/** Every relationship of the entity grouped by predicate and direction; inferred ones say by which rule and from which edges. */
export function Relationships({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const groups = Map.groupBy(entity.relationships, (r) => `${r.direction === 'out' ? '' : '← '}${predicateLabel(r.predicate)}`);
  return (
    <section className="card wide" aria-label="Relationships">
      <h3>
        Relationships <span className="count">{entity.relationships.length}</span>
      </h3>
      {groups.size === 0 && <p className="muted">None.</p>}
      <dl className="relationships">
        {[...groups.entries()].map(([key, list]) => (
          <div key={key}>
            <dt>{key}</dt>
            {list.map((r) => (
              <dd key={r.uri}>
                <EntityLink entity={r} asOf={asOf} /> <span className={`type-badge t-${r.type}`}>{typeLabel(r.type)}</span>
                {r.inferred && (
                  <details className="inferred">
                    <summary>inferred by rule {r.rule ?? '?'}</summary>
                    <ul>
                      {(r.support ?? []).map((e) => (
                        <li key={`${e.subject} ${e.predicate} ${e.object}`}>
                          {labelOfUri(e.subject)} —{predicateLabel(e.predicate)}→ {labelOfUri(e.object)}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </dd>
            ))}
          </div>
        ))}
      </dl>
    </section>
  );
}
