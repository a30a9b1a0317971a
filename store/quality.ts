import { sql } from 'kysely';
import { DESCRIBED_TYPES, OWNED_TYPES, type SignalCode, type SourceSignalCode } from '../domain/quality';
import { OPENLINEAGE } from '../domain/vocabulary';
import type { Db } from './database';

/** A source system's subject in `quality_signals`; entities are their URIs. */
export const sourceSubject = (source: string): string => `source:${source}`;
const SOURCE_PREFIX = sourceSubject('');

/** A signal's code as a parameter of the statement that finds it: the SQL holds no code of its own. */
const code = (signal: SignalCode) => sql<SignalCode>`${signal}::text`;

export interface AssessedEntity {
  readonly uri: string;
  readonly signals: SignalCode[];
}

/**
 * A page of live entities (users and teams aside) in URI order after `after`, with the signals the
 * current graph shows: no owner, an inactive or unknown owner, no description, not refreshed since
 * `staleBefore`, or never hydrated: a placeholder its source has not served since then, or a
 * reference its source answered it does not have (deleted before it was ever served, still referred to);
 * and, as a bug detector, an inferred edge resting on an edge that is gone.
 */
export async function assessEntities(db: Db, staleBefore: Date, page: { after: string; limit: number }): Promise<AssessedEntity[]> {
  const { rows } = await sql<AssessedEntity>`
    select e.uri,
      array_remove(array[
        case when e.type = any(${[...OWNED_TYPES]}::text[]) and e.state not in ('placeholder', 'deleted') and not exists (
          select 1 from current_edges c where c.subject = e.uri and c.predicate in ('owned_by', 'owned_by_team')) then ${code('no-owner')} end,
        case when exists (
          select 1 from current_edges c join entities u on u.uri = c.object
          where c.subject = e.uri and c.predicate = 'owned_by' and (u.state = 'deleted' or u.attributes->>'active' = 'false')) then ${code('owner-inactive')} end,
        case when e.type = any(${[...DESCRIBED_TYPES]}::text[]) and e.state not in ('placeholder', 'deleted') and coalesce(e.description, '') = '' then ${code('no-description')} end,
        case when e.state in ('hydrated', 'enriched') and e.source <> ${OPENLINEAGE} and e.last_hydrated_at < ${staleBefore} then ${code('stale')} end,
        case when (e.state = 'placeholder' and e.created_at < ${staleBefore}) or e.state = 'deleted' then ${code('never-hydrated')} end,
        -- A bug detector: an inferred edge one of whose supporting edges is gone although the entity
        -- that edge starts from was enriched after it went (so the inference should have seen it).
        case when exists (
          select 1 from current_edges ie cross join lateral jsonb_array_elements(ie.support) s
          join entities x on x.uri = s->>'subject'
          where ie.subject = e.uri and ie.inferred and ie.support is not null
            and not exists (select 1 from current_edges c
              where c.subject = s->>'subject' and c.predicate = s->>'predicate' and c.object = s->>'object')
            and x.last_enriched_at > coalesce((select max(t.at) from edges h join tx t on t.id = h.tx_id
              where h.subject = s->>'subject' and h.predicate = s->>'predicate' and h.object = s->>'object' and h.op = 'retract'), '-infinity')
        ) then ${code('unsupported-inference')} end
      ], null) as signals
    from entities e
    where e.uri > ${page.after} and e.type not in ('user', 'team') and (e.state <> 'deleted' or (
      -- A reference its source does not have: deleted on a 404 without ever having been served, and still referred to.
      exists (select 1 from current_edges c where c.object = e.uri) and not exists (
        select 1 from facts f where f.entity_uri = e.uri and f.attribute = 'state' and f.value in ('"hydrated"', '"enriched"'))))
    order by e.uri limit ${page.limit}`.execute(db);
  return rows;
}

/**
 * Records what a sweep found for a range of subjects (entities with URIs in `(after, through]`, or
 * every source when `kind` is 'source'): a signal found and not open is opened; an open one not found
 * is closed. Found again while open, a signal keeps its opening time. Idempotent.
 */
export async function recordSignals(
  db: Db,
  range: { kind: 'entity'; after: string; through: string | null } | { kind: 'source' },
  found: readonly { subject: string; code: SignalCode | SourceSignalCode }[],
): Promise<{ opened: number; closed: number }> {
  const inRange =
    range.kind === 'source'
      ? sql`starts_with(subject, ${SOURCE_PREFIX})`
      : sql`not starts_with(subject, ${SOURCE_PREFIX}) and subject > ${range.after} and (${range.through}::text is null or subject <= ${range.through})`;
  const subjects = found.map((f) => f.subject);
  const codes = found.map((f) => f.code);
  return db.transaction().execute(async (trx) => {
    const closed = await sql`
      update quality_signals set closed_at = clock_timestamp()
      where closed_at is null and ${inRange}
        and (subject, code) not in (select * from unnest(${subjects}::text[], ${codes}::text[]))`.execute(trx);
    const opened = await sql`
      insert into quality_signals (subject, code)
      select * from unnest(${subjects}::text[], ${codes}::text[])
      on conflict (subject, code) where closed_at is null do nothing`.execute(trx);
    return { opened: Number(opened.numAffectedRows ?? 0), closed: Number(closed.numAffectedRows ?? 0) };
  });
}

export interface OpenSignal {
  readonly code: string;
  /** When a sweep first found it (ISO). */
  readonly since: string;
}

export interface QualityRow {
  readonly uri: string;
  readonly type: string;
  readonly source: string;
  readonly name: string;
  readonly owners: string[];
  readonly teams: string[];
  readonly signals: OpenSignal[];
}

/**
 * Every live entity (users and teams aside) with its owners, teams and the signals the last sweeps
 * left open, and the deleted ones that have a signal (references their source never served); `uris`
 * narrows it to those entities.
 */
export async function qualityRows(db: Db, uris: readonly string[] | null = null): Promise<QualityRow[]> {
  const { rows } = await sql<QualityRow>`
    select e.uri, e.type, e.source, e.name,
      coalesce((select array_agg(c.object order by c.object) from current_edges c where c.subject = e.uri and c.predicate = 'owned_by'), '{}') as owners,
      coalesce((select array_agg(distinct c.object) from current_edges c where c.subject = e.uri and c.predicate = 'owned_by_team'), '{}') as teams,
      coalesce((select json_agg(json_build_object('code', q.code, 'since', q.opened_at) order by q.code)
        from quality_signals q where q.subject = e.uri and q.closed_at is null), '[]') as signals
    from entities e
    where e.type not in ('user', 'team') and (${uris === null}::boolean or e.uri = any(${uris ?? []}::text[]))
      and (e.state <> 'deleted' or exists (select 1 from quality_signals q where q.subject = e.uri and q.closed_at is null))
    order by e.uri`.execute(db);
  return rows;
}

export interface PastSignal {
  readonly code: string;
  readonly since: Date;
  readonly until: Date;
}

/** The signals a subject had and no longer has, latest first. */
export async function pastSignals(db: Db, subject: string, limit: number): Promise<PastSignal[]> {
  const rows = await db
    .selectFrom('quality_signals')
    .select(['code', 'opened_at', 'closed_at'])
    .where('subject', '=', subject)
    .where('closed_at', 'is not', null)
    .orderBy('closed_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ code: r.code, since: r.opened_at, until: r.closed_at ?? r.opened_at }));
}
