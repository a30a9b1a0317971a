import type { z } from 'zod';
import type * as s from '../../../api/schemas';
import type { Entity } from '../api';
import { parseUri } from '../../../domain/uri';
import { apiPath } from '../links';
import { useApi } from '../use-api';
import { EntityLink } from './entity-list';

type Similar = z.output<typeof s.similarResponse>;
type Suggestions = z.output<typeof s.suggestionsResponse>;
type Duplicates = z.output<typeof s.duplicatesOfResponse>;

/** Suggestions from the graph, never its edges: the most similar models (by the features they use) and features to consider. */
export function SuggestionsPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const ref = parseUri(entity.uri);
  const similar = useApi<Similar>(apiPath(ref, '/similar'), { limit: 5 });
  const features = useApi<Suggestions>(apiPath(ref, '/suggestions'), { limit: 5 });
  const kind = entity.type === 'model' ? 'models' : 'model instances';
  return (
    <>
      <section className="card" aria-label={`Similar ${kind}`}>
        <h3>Similar {kind}</h3>
        {similar.data?.similar.length === 0 && <p className="muted">None shares a feature with it.</p>}
        <ul className="entity-list">
          {similar.data?.similar.map((m) => (
            <li key={m.uri}>
              <EntityLink entity={m} asOf={asOf} /> <span className="pill">{m.score.toFixed(2)}</span>
              <br />
              <span className="muted">{m.reason}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-label="Features to consider">
        <h3>Features to consider</h3>
        {features.data?.features.length === 0 && <p className="muted">Its closest peers use nothing it does not.</p>}
        <ul className="entity-list">
          {features.data?.features.map((f) => (
            <li key={f.uri}>
              <EntityLink entity={f} asOf={asOf} />
              <br />
              <span className="muted">{f.reason}</span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Features (or datasets) that are likely this one recorded twice; shown only when there are some. */
export function DuplicatesPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const duplicates = useApi<Duplicates>(apiPath(parseUri(entity.uri), '/duplicates'), { limit: 5 });
  const list = duplicates.data?.duplicates ?? [];
  if (list.length === 0) return null;
  return (
    <section className="card" aria-label="Likely duplicates">
      <h3>Likely duplicates</h3>
      <ul className="entity-list">
        {list.map((d) => {
          const other = d.a.uri === entity.uri ? d.b : d.a;
          return (
            <li key={other.uri}>
              <EntityLink entity={other} asOf={asOf} /> <span className="pill">{d.score.toFixed(2)}</span>
              <br />
              <span className="muted">{d.reason}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
