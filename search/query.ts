import type { estypes } from '@elastic/elasticsearch';
import type { SearchClient } from './client';
import type { EntityDocument, OwnerDocument } from './documents';
import type { IndexNames } from './indices';

export interface SearchParams {
  readonly q: string;
  readonly types: readonly string[];
  /** User or team URIs; an entity matches if any of them owns it. */
  readonly owners: readonly string[];
  /** `key::value` tags; an entity must carry all of them. */
  readonly tags: readonly string[];
  readonly limit: number;
  readonly offset: number;
  /** Count the hits per type, owner, team and tag (costs an aggregation over every hit). */
  readonly facets?: boolean;
}

export interface SearchHit {
  readonly uri: string;
  readonly type: string;
  readonly name: string;
  readonly description: string | null;
  readonly owners: string[];
  readonly teams: string[];
  readonly tags: string[];
  readonly score: number;
}

/** How many hits carry each value, for the portal's filters: the most frequent values of each field. */
export interface SearchFacets {
  readonly type: FacetCount[];
  readonly owner: FacetCount[];
  readonly team: FacetCount[];
  readonly tag: FacetCount[];
}
export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

const FACET_FIELDS = { type: 'type', owner: 'owners', team: 'teams', tag: 'tags' } as const;
const FACET_SIZE = 15;

/**
 * Far above any text relevance score: an exact name match (ignoring case) always ranks first, then
 * an exact native id, then phrase, fuzzy name and other fields.
 */
const EXACT_BOOST = 1_000_000;

export function entityQuery(params: SearchParams): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (params.types.length > 0) filter.push({ terms: { type: [...params.types] } });
  if (params.owners.length > 0)
    filter.push({
      bool: { should: [{ terms: { owners: [...params.owners] } }, { terms: { teams: [...params.owners] } }], minimum_should_match: 1 },
    });
  for (const tag of params.tags) filter.push({ term: { tags: tag } });
  const q = params.q.trim();
  if (q === '') return { bool: { filter, must: [{ match_all: {} }] } };
  const lower = q.toLowerCase();
  return {
    bool: {
      filter,
      should: [
        { constant_score: { filter: { term: { 'name.lowercase': lower } }, boost: EXACT_BOOST } },
        { constant_score: { filter: { term: { 'nativeId.lowercase': lower } }, boost: EXACT_BOOST / 2 } },
        { match_phrase: { name: { query: q, boost: 10 } } },
        { match: { name: { query: q, fuzziness: 'AUTO', prefix_length: 1, boost: 4 } } },
        { multi_match: { query: q, fields: ['description', 'ownerNames^2', 'related', 'tags^2'], fuzziness: 'AUTO', prefix_length: 1 } },
      ],
      minimum_should_match: 1,
    },
  };
}

/** Elasticsearch reports the total as a number or as { value }, depending on the request. */
const totalOf = (total: number | estypes.SearchTotalHits | undefined): number => (typeof total === 'number' ? total : (total?.value ?? 0));

export async function searchEntities(
  client: SearchClient,
  names: IndexNames,
  params: SearchParams,
): Promise<{ total: number; hits: SearchHit[]; facets?: SearchFacets }> {
  const response = await client.search<EntityDocument, Record<keyof SearchFacets, estypes.AggregationsStringTermsAggregate>>({
    index: names.entities,
    query: entityQuery(params),
    from: params.offset,
    size: params.limit,
    track_total_hits: true,
    sort: params.q.trim() === '' ? [{ 'name.keyword': 'asc' }] : ['_score', { 'name.keyword': 'asc' }],
    ...(params.facets && {
      aggs: Object.fromEntries(Object.entries(FACET_FIELDS).map(([name, field]) => [name, { terms: { field, size: FACET_SIZE } }])),
    }),
  });
  const total = totalOf(response.hits.total);
  const facet = (name: keyof SearchFacets): FacetCount[] => {
    const buckets = response.aggregations?.[name]?.buckets;
    return (Array.isArray(buckets) ? buckets : []).map((b) => ({ value: String(b.key), count: b.doc_count }));
  };
  return {
    total,
    ...(params.facets && { facets: { type: facet('type'), owner: facet('owner'), team: facet('team'), tag: facet('tag') } }),
    hits: response.hits.hits.flatMap((hit) => {
      const d = hit._source;
      return d
        ? [
            {
              uri: d.uri,
              type: d.type,
              name: d.name,
              description: d.description,
              owners: d.owners,
              teams: d.teams,
              tags: d.tags,
              score: hit._score ?? 0,
            },
          ]
        : [];
    }),
  };
}

export async function searchOwners(
  client: SearchClient,
  names: IndexNames,
  params: { q: string; limit: number; offset: number },
): Promise<{ total: number; hits: (OwnerDocument & { score: number })[] }> {
  const q = params.q.trim();
  const lower = q.toLowerCase();
  const response = await client.search<OwnerDocument>({
    index: names.owners,
    from: params.offset,
    size: params.limit,
    track_total_hits: true,
    query:
      q === ''
        ? { match_all: {} }
        : {
            bool: {
              should: [
                { constant_score: { filter: { term: { 'name.lowercase': lower } }, boost: EXACT_BOOST } },
                { constant_score: { filter: { term: { 'nativeId.lowercase': lower } }, boost: EXACT_BOOST } },
                { constant_score: { filter: { term: { email: lower } }, boost: EXACT_BOOST } },
                { match: { name: { query: q, fuzziness: 'AUTO', prefix_length: 1 } } },
              ],
              minimum_should_match: 1,
            },
          },
    sort: q === '' ? [{ 'name.keyword': 'asc' }] : ['_score', { 'name.keyword': 'asc' }],
  });
  const total = totalOf(response.hits.total);
  return { total, hits: response.hits.hits.flatMap((hit) => (hit._source ? [{ ...hit._source, score: hit._score ?? 0 }] : [])) };
}
