import { sql, type RawBuilder } from 'kysely';
import { ruleOrigin, type ChainRule, type MatchRule } from '../domain/rules';
import type { Json } from '../domain/entity';
import { canonicalJson, diffByKey } from '../domain/facts';
import type { Db } from './database';
import { edgeKey, edgeOf, type Edge } from '../domain/edge';
import { appendTx, applyEdgeChanges, type EdgeChange, type Trx } from './history';
import { lockRule } from './locks';

export interface InferenceResult {
  readonly asserted: number;
  readonly retracted: number;
  /** Endpoints of inferred edges that changed: their documents list new related names. */
  readonly affected: readonly string[];
}

interface Derived {
  subject: string;
  object: string;
  support: Edge[];
}

/** Table alias of chain step i. */
const step = (i: number) => sql.raw(`e${i}`);

/** `current_edges e1 join current_edges e2 on … join … ek`, over declared edges only, with the rule's type filters. */
function chainFrom(rule: ChainRule, scheme: string): { from: RawBuilder<unknown>; where: RawBuilder<unknown> } {
  const joins = rule.chain
    .slice(1)
    .map(
      (_, j) =>
        sql`join current_edges ${step(j + 2)} on ${step(j + 2)}.subject = ${step(j + 1)}.object and ${step(j + 2)}.predicate = ${rule.chain[j + 1]?.predicate} and not ${step(j + 2)}.inferred`,
    );
  const filters = rule.chain.flatMap((link, i) => [
    sql`${step(i + 1)}.predicate = ${link.predicate}`,
    sql`not ${step(i + 1)}.inferred`,
    ...(link.subjectType ? [sql`${step(i + 1)}.subject like ${`${scheme}://${link.subjectType}/%`}`] : []),
  ]);
  return { from: sql`current_edges e1 ${sql.join(joins, sql` `)}`, where: sql.join(filters, sql` and `) };
}

/**
 * The start entities whose inferences may have changed because `touched` entities changed: those
 * with a chain prefix reaching a touched entity, and those whose current inferred edges rest on an
 * edge that touches one (so a broken chain is still found and its inference retracted).
 */
async function affectedStarts(trx: Trx, rule: ChainRule, touched: readonly string[], scheme: string): Promise<string[]> {
  const starts = new Set<string>(touched);
  for (let j = 1; j <= rule.chain.length; j++) {
    // Chain prefixes of length j: restrict the full chain's joins to its first j steps.
    const prefix: ChainRule = { ...rule, chain: rule.chain.slice(0, j) };
    const p = chainFrom(prefix, scheme);
    const { rows } = await sql<{
      subject: string;
    }>`select distinct e1.subject from ${p.from} where ${p.where} and ${step(j)}.object = any(${[...touched]}::text[])`.execute(trx);
    for (const row of rows) starts.add(row.subject);
  }
  const { rows } = await sql<{ subject: string }>`
    select distinct ce.subject from current_edges ce, unnest(${[...touched]}::text[]) t(uri)
    where ce.origin = ${ruleOrigin(rule)} and (ce.object = t.uri or ce.support @> jsonb_build_array(jsonb_build_object('subject', t.uri)) or ce.support @> jsonb_build_array(jsonb_build_object('object', t.uri)))`.execute(
    trx,
  );
  for (const row of rows) starts.add(row.subject);
  return [...starts];
}

async function derive(trx: Trx, rule: ChainRule, starts: readonly string[], scheme: string): Promise<Derived[]> {
  const { from, where } = chainFrom(rule, scheme);
  const last = step(rule.chain.length);
  const support = sql.join(
    rule.chain.map(
      (_, i) =>
        sql`jsonb_build_object('subject', ${step(i + 1)}.subject, 'predicate', ${step(i + 1)}.predicate, 'object', ${step(i + 1)}.object)`,
    ),
    sql`, `,
  );
  const { rows } = await sql<{ subject: string; object: string; support: Edge[][] }>`
    select e1.subject, ${last}.object as object, jsonb_agg(distinct jsonb_build_array(${support})) as support
    from ${from} where ${where} and e1.subject = any(${[...starts]}::text[])
    group by e1.subject, ${last}.object`.execute(trx);
  return rows.map((row) => {
    const edges = new Map(row.support.flat().map((e) => [edgeKey(e), edgeOf(e)]));
    return {
      subject: row.subject,
      object: row.object,
      support: [...edges.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e),
    };
  });
}

/**
 * Re-evaluates every rule around the touched entities in one transaction: asserts the inferred edges
 * whose chains now hold (recording the rule and the supporting edges), and retracts those whose
 * support is gone. Evaluating the same graph twice changes nothing.
 */
export async function inferAround(
  db: Db,
  rules: readonly ChainRule[],
  touched: readonly string[],
  scheme: string,
  workflowId: string | null,
  matchRules: readonly MatchRule[] = [],
): Promise<InferenceResult> {
  if (touched.length === 0) return { asserted: 0, retracted: 0, affected: [] };
  return db.transaction().execute(async (trx) => {
    const changes: EdgeChange[] = [];
    for (const rule of matchRules) changes.push(...(await matchChanges(trx, rule, touched)));
    for (const rule of rules) {
      await lockRule(trx, ruleOrigin(rule));
      const starts = await affectedStarts(trx, rule, touched, scheme);
      const derived = await derive(trx, rule, starts, scheme);
      const current = await trx
        .selectFrom('current_edges')
        .selectAll()
        .where('origin', '=', ruleOrigin(rule))
        .where('subject', 'in', starts.length > 0 ? starts : [''])
        .execute();
      const desired = new Map(derived.map((d) => [edgeKey({ subject: d.subject, predicate: rule.infer, object: d.object }), d]));
      const { added, removed } = diffByKey(new Map(current.map((c) => [edgeKey(c), c])), desired);
      const base = { predicate: rule.infer, origin: ruleOrigin(rule), inferred: true, rule: rule.id };
      changes.push(...removed.map((c) => ({ ...base, subject: c.subject, object: c.object, op: 'retract' as const, support: c.support })));
      changes.push(...added.map((d) => ({ ...base, subject: d.subject, object: d.object, op: 'assert' as const, support: d.support })));
      // An edge still inferred, but from other support, gets its support brought up to date.
      for (const c of current) {
        const d = desired.get(edgeKey(c));
        // Compared canonically: jsonb hands the stored support back with its keys in its own order.
        if (d && canonicalJson(d.support as unknown as Json) !== canonicalJson(c.support as unknown as Json))
          changes.push({ ...base, subject: d.subject, object: d.object, op: 'assert', support: d.support });
      }
    }
    if (changes.length === 0) return { asserted: 0, retracted: 0, affected: [] };
    const tx = await appendTx(trx, {
      source: 'enrichment',
      cause: [...new Set(changes.map((c) => `rule:${c.rule}`))].sort().join(','),
      workflowId,
      eventIds: [],
    });
    await applyEdgeChanges(trx, tx.id, changes);
    return {
      asserted: changes.filter((c) => c.op === 'assert').length,
      retracted: changes.filter((c) => c.op === 'retract').length,
      affected: [...new Set(changes.flatMap((c) => [c.subject, c.object]))],
    };
  });
}

/**
 * What a match rule changes around the touched entities: the pairs whose attributes are equal now
 * (either end touched) are asserted, the rule's edges at a touched end whose values no longer match
 * are retracted. Deleted entities match nothing.
 */
async function matchChanges(trx: Trx, rule: MatchRule, touched: readonly string[]): Promise<EdgeChange[]> {
  await lockRule(trx, ruleOrigin(rule));
  const { subject: s, object: o } = rule;
  const { rows } = await sql<{ subject: string; object: string }>`
    select a.uri as subject, b.uri as object
    from entities a join entities b on b.attributes ->> ${o.attribute} = a.attributes ->> ${s.attribute}
    where a.type = ${s.type} and a.source = ${s.source} and b.type = ${o.type} and b.source = ${o.source}
      and a.state <> 'deleted' and b.state <> 'deleted'
      and (a.uri = any(${[...touched]}::text[]) or b.uri = any(${[...touched]}::text[]))`.execute(trx);
  const current = await trx
    .selectFrom('current_edges')
    .select(['subject', 'object'])
    .where('origin', '=', ruleOrigin(rule))
    .where((eb) => eb.or([eb('subject', 'in', [...touched]), eb('object', 'in', [...touched])]))
    .execute();
  const key = (e: { subject: string; object: string }): string => `${e.subject}\t${e.object}`;
  const { added, removed } = diffByKey(new Map(current.map((c) => [key(c), c])), new Map(rows.map((r) => [key(r), r])));
  const base = { predicate: rule.infer, origin: ruleOrigin(rule), inferred: true, rule: rule.id, support: [] };
  return [
    ...removed.map((c) => ({ ...base, subject: c.subject, object: c.object, op: 'retract' as const })),
    ...added.map((r) => ({ ...base, subject: r.subject, object: r.object, op: 'assert' as const })),
  ];
}
