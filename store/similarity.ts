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
