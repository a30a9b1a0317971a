import { sql } from 'kysely';
import type { Db } from './database';

/** What two entities are compared by: the features a model uses (through its versions) or an instance uses. */
export type SimilarityUnit = 'model' | 'model-instance';

export interface SimilarRow {
  readonly uri: string;
  readonly score: number;
  /** The features both use, each with its weight (rarer features weigh more). */
  readonly shared: { readonly feature: string; readonly weight: number }[];
  /** Every feature the similar entity uses. */
  readonly features: string[];
}

/**
 * The entities most like `root` by the features they use, from the current graph: each feature
 * weighs ln(N ÷ users of it) (a feature every model uses tells nothing; a rare one shared tells a
 * lot), and a pair scores the cosine of their weighted feature sets (1: the same features).
 */
export async function similarByFeatures(db: Db, unit: SimilarityUnit, root: string, limit: number): Promise<SimilarRow[]> {
  const usage = usageOf(unit);
  const { rows } = await sql<{ uri: string; score: number; shared: SimilarRow['shared']; features: string[] }>`
    with usage as (${usage}),
    total as (select count(distinct unit)::float8 as n from usage),
    idf as (select feature, ln((select n from total) / count(*)::float8) as w from usage group by feature),
    weighted as (select u.unit, u.feature, i.w from usage u join idf i using (feature)),
    mine as (select feature, w from weighted where unit = ${root}),
    lengths as (select unit, sqrt(sum(w * w)) as len from weighted group by unit),
    pairs as (
      select w.unit, sum(m.w * m.w) as dot,
        jsonb_agg(jsonb_build_object('feature', m.feature, 'weight', round(m.w::numeric, 4)) order by m.w desc, m.feature) as shared
      from weighted w join mine m using (feature)
      where w.unit <> ${root} and m.w > 0
      group by w.unit)
    select p.unit as uri, p.dot / nullif(l.len * (select sqrt(sum(w * w)) from mine), 0) as score, p.shared,
      (select array_agg(u.feature order by u.feature) from usage u where u.unit = p.unit) as features
    from pairs p join lengths l using (unit)
    join entities e on e.uri = p.unit and e.state <> 'deleted'
    order by score desc nulls last, p.unit
    limit ${limit}`.execute(db);
  return rows.map((r) => ({ uri: r.uri, score: Number(r.score ?? 0), shared: r.shared, features: r.features }));
}

/** The features an entity uses (through its versions, for a model). */
export async function featuresUsedBy(db: Db, unit: SimilarityUnit, uri: string): Promise<string[]> {
  const { rows } = await sql<{ feature: string }>`select feature from (${usageOf(unit)}) u where unit = ${uri} order by feature`.execute(
    db,
  );
  return rows.map((r) => r.feature);
}

/** Which unit uses which feature, live entities only: a model through its versions, an instance directly. */
function usageOf(unit: SimilarityUnit) {
  return unit === 'model'
    ? sql`select distinct v.object as unit, f.object as feature
        from current_edges v join current_edges f on f.subject = v.subject and f.predicate = 'uses_feature'
        join entities i on i.uri = v.subject and i.state <> 'deleted'
        where v.predicate = 'version_of'`
    : sql`select distinct f.subject as unit, f.object as feature
        from current_edges f join entities i on i.uri = f.subject and i.state <> 'deleted'
        where f.predicate = 'uses_feature'`;
}

/** The kinds of entity checked for likely duplicates, and what their sources are. */
export type DuplicateUnit = 'feature' | 'dataset';

export interface DuplicatePair {
  readonly a: { readonly uri: string; readonly name: string; readonly sources: string[] };
  readonly b: { readonly uri: string; readonly name: string; readonly sources: string[] };
}

/**
 * Pairs of live entities of a kind that share at least one source and whose names could be one
 * name written two ways: the same digits and the same first three letters once case and separators
 * are set aside (a cheap block; the caller compares the names). A feature's sources are the datasets
 * it derives from; a dataset's are the pipelines that write or produce it (a run counts as its pipeline).
 * `root` narrows it to the pairs of one entity.
 */
export async function duplicateCandidates(db: Db, unit: DuplicateUnit, root: string | null): Promise<DuplicatePair[]> {
  const sources =
    unit === 'feature'
      ? sql`select e.subject as unit, e.object as src from current_edges e where e.predicate = 'derived_from'`
      : sql`select e.object as unit, coalesce(r.object, e.subject) as src from current_edges e
          left join current_edges r on r.subject = e.subject and r.predicate = 'run_of'
          where e.predicate = 'writes'
          union
          select e.subject, coalesce(r.object, e.object) from current_edges e
          left join current_edges r on r.subject = e.object and r.predicate = 'run_of'
          where e.predicate = 'produced_by' and e.subject in (select uri from entities where type = 'dataset')`;
  const { rows } = await sql<{ a: string; a_name: string; a_sources: string[]; b: string; b_name: string; b_sources: string[] }>`
    with src as (${sources}),
    live as (
      select e.uri, e.name, regexp_replace(e.name, '[^0-9]', '', 'g') || '|' || left(regexp_replace(lower(e.name), '[^a-z0-9]', '', 'g'), 3) as block
      from entities e where e.type = ${unit} and e.state <> 'deleted'),
    keyed as (select distinct s.unit, s.src, l.block from src s join live l on l.uri = s.unit),
    pairs as (
      select distinct k1.unit as a, k2.unit as b from keyed k1
      join keyed k2 on k2.src = k1.src and k2.block = k1.block and k2.unit > k1.unit
      where ${root}::text is null or k1.unit = ${root} or k2.unit = ${root})
    select p.a, la.name as a_name, (select array_agg(distinct s.src order by s.src) from src s where s.unit = p.a) as a_sources,
      p.b, lb.name as b_name, (select array_agg(distinct s.src order by s.src) from src s where s.unit = p.b) as b_sources
    from pairs p join live la on la.uri = p.a join live lb on lb.uri = p.b
    order by p.a, p.b`.execute(db);
  return rows.map((r) => ({
    a: { uri: r.a, name: r.a_name, sources: r.a_sources },
    b: { uri: r.b, name: r.b_name, sources: r.b_sources },
  }));
}
