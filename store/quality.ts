import { sql } from 'kysely';
import { DESCRIBED_TYPES, OWNED_TYPES, type SignalCode } from '../domain/quality';
import { OPENLINEAGE } from '../domain/vocabulary';
import type { Db } from './database';

export interface QualityRow {
  readonly uri: string;
  readonly type: string;
  readonly source: string;
  readonly name: string;
  readonly owners: string[];
  readonly teams: string[];
  readonly signals: SignalCode[];
}

/**
 * Every live entity (users and teams aside) with its quality signals, read from the current graph:
 * no owner, an inactive or unknown owner, no description, not refreshed since `staleBefore`, or a
 * placeholder its source has not served since then. `uris` narrows it to those entities.
 */
export async function qualityRows(db: Db, staleBefore: Date, uris: readonly string[] | null = null): Promise<QualityRow[]> {
  const { rows } = await sql<QualityRow>`
    select e.uri, e.type, e.source, e.name,
      coalesce((select array_agg(c.object order by c.object) from current_edges c where c.subject = e.uri and c.predicate = 'owned_by'), '{}') as owners,
      coalesce((select array_agg(distinct c.object) from current_edges c where c.subject = e.uri and c.predicate = 'owned_by_team'), '{}') as teams,
      array_remove(array[
        case when e.type = any(${[...OWNED_TYPES]}::text[]) and e.state <> 'placeholder' and not exists (
          select 1 from current_edges c where c.subject = e.uri and c.predicate in ('owned_by', 'owned_by_team')) then 'no-owner' end,
        case when exists (
          select 1 from current_edges c join entities u on u.uri = c.object
          where c.subject = e.uri and c.predicate = 'owned_by' and (u.state = 'deleted' or u.attributes->>'active' = 'false')) then 'owner-inactive' end,
        case when e.type = any(${[...DESCRIBED_TYPES]}::text[]) and e.state <> 'placeholder' and coalesce(e.description, '') = '' then 'no-description' end,
        case when e.state in ('hydrated', 'enriched') and e.source <> ${OPENLINEAGE} and e.last_hydrated_at < ${staleBefore} then 'stale' end,
        case when e.state = 'placeholder' and e.created_at < ${staleBefore} then 'never-hydrated' end
      ], null) as signals
    from entities e
    where e.state <> 'deleted' and e.type not in ('user', 'team') and (${uris === null}::boolean or e.uri = any(${uris ?? []}::text[]))
    order by e.uri`.execute(db);
  return rows;
}
