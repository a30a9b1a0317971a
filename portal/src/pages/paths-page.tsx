import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import type { Paths } from '../api';
import { predicateLabel } from '../format';
import { labelOfUri } from '../links';
import { EntityLink } from '../panels/entity-list';
import { useApi } from '../use-api';

/** Why is B downstream of A: every path between two entities, explained edge by edge. */
export function PathsPage() {
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const asOf = params.get('asOf');
  const [draft, setDraft] = useState({ from, to });
  const paths = useApi<Paths>(from && to ? '/v1/paths' : null, { from, to, asOf });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('from', draft.from.trim());
      next.set('to', draft.to.trim());
      return next;
    });
  };
  const node = (uri: string) => <EntityLink entity={{ uri, name: labelOfUri(uri) }} asOf={asOf} />;
  return (
    <section className="paths-page">
      <h1>Paths between two entities</h1>
      <form onSubmit={submit} className="paths-form">
        <label>
          From (URI) <input value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} required />
        </label>
        <label>
          To (URI) <input value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} required />
        </label>
        <button type="submit">Explain</button>
      </form>
      {paths.error && <p role="alert">{paths.error.message}</p>}
      {paths.data && (
        <>
          <p>
            {paths.data.paths.length === 0
              ? 'No path connects them.'
              : `${paths.data.paths.length} ${paths.data.paths.length === 1 ? 'path' : 'paths'}; ${labelOfUri(to)} is ${paths.data.direction ?? 'linked'} of ${labelOfUri(from)}.`}
            {paths.data.truncated && ' (Truncated.)'}
          </p>
          <ol className="paths">
            {paths.data.paths.map((p, i) => (
              <li key={i}>
                <ol className="path-steps">
                  {p.edges.map((e) => (
                    <li key={`${e.subject} ${e.predicate} ${e.object}`}>
                      {node(e.subject)} <span className="predicate">—{predicateLabel(e.predicate)}→</span> {node(e.object)}
                      {e.inferred && <span className="muted"> (inferred)</span>}
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
