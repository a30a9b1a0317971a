import { Link, useSearchParams } from 'react-router';
import type { SearchResult } from '../api';
import { withAsOf } from '../as-of';
import { typeLabel } from '../format';
import { labelOfUri, pathOfUri } from '../links';
import { useApi } from '../use-api';

type FacetName = 'type' | 'owner' | 'team' | 'tag';
/** The API filters teams and users alike by `owner`. */
const PARAM: Record<FacetName, string> = { type: 'type', owner: 'owner', team: 'owner', tag: 'tag' };
const TITLE: Record<FacetName, string> = { type: 'Type', owner: 'Owner', team: 'Team', tag: 'Tag' };
const label = (facet: FacetName, value: string): string =>
  facet === 'type' ? typeLabel(value) : facet === 'tag' ? value.replace('::', ': ') : labelOfUri(value);

/** Search results with facets (type, owner, team, tag) whose counts narrow as filters are chosen. */
export function SearchPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const asOf = params.get('asOf');
  const filters = { type: params.getAll('type'), owner: params.getAll('owner'), tag: params.getAll('tag') };
  const result = useApi<SearchResult>('/v1/search', { q, ...filters, facets: 'true', limit: 50 });
  const toggle = (facet: FacetName, value: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      const key = PARAM[facet];
      const values = next.getAll(key);
      next.delete(key);
      for (const v of values.includes(value) ? values.filter((v) => v !== value) : [...values, value]) next.append(key, v);
      return next;
    });
  const chosen = (facet: FacetName, value: string) => params.getAll(PARAM[facet]).includes(value);
  return (
    <div className="search-page">
      <h1>{q ? `Results for “${q}”` : 'Everything in the graph'}</h1>
      {result.error && <p role="alert">{result.error.message}</p>}
      <div className="search-layout">
        <aside aria-label="Filters" className="facets">
          {(['type', 'owner', 'team', 'tag'] as const).map((facet) => {
            const counts = result.data?.facets?.[facet] ?? [];
            if (counts.length === 0) return null;
            return (
              <fieldset key={facet}>
                <legend>{TITLE[facet]}</legend>
                {counts.map((c) => (
                  <label key={c.value}>
                    <input type="checkbox" checked={chosen(facet, c.value)} onChange={() => toggle(facet, c.value)} />
                    {label(facet, c.value)} <span className="count">{c.count}</span>
                  </label>
                ))}
              </fieldset>
            );
          })}
        </aside>
        <section aria-label="Results" className="results">
          {result.data && (
            <p className="muted">
              {result.data.total} {result.data.total === 1 ? 'entity' : 'entities'}
            </p>
          )}
          <ol>
            {result.data?.hits.map((hit) => (
              <li key={hit.uri}>
                <Link to={withAsOf(pathOfUri(hit.uri) ?? '/', asOf)}>{hit.name}</Link>
                <span className={`type-badge t-${hit.type}`}>{typeLabel(hit.type)}</span>
                {hit.description && <p>{hit.description}</p>}
                {hit.owners.length + hit.teams.length > 0 && (
                  <p className="muted">Owned by {[...hit.owners, ...hit.teams].map(labelOfUri).join(', ')}</p>
                )}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </div>
  );
}
