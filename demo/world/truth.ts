import { uriOf } from '../../domain/uri';
import type { ShownEdge } from '../../domain/edge';
import type { EntityType, Predicate } from '../../domain/vocabulary';
import type { Label } from './records';
import type { PlantedFamily } from './families';
import { truthDefects, type TruthDefect } from './quality-truth';
import type { World } from './world';

export interface TruthEntity {
  readonly uri: string;
  readonly type: EntityType;
  readonly name: string;
  readonly owners: readonly string[];
  readonly tags: readonly { tag: string; value: string }[];
}

/** An edge of the ground truth: the rule (R1 or R2) that infers it, if one does. */
export type TruthEdge = ShownEdge & { readonly rule: 'R1' | 'R2' | null };

export interface GroundTruth {
  readonly entities: TruthEntity[];
  readonly edges: TruthEdge[];
  /** The metadata defects the records hold: what the quality signals should report. */
  readonly defects: TruthDefect[];
  /** The planted families of similar models: what similarity should find together. */
  readonly families: readonly PlantedFamily[];
}

/**
 * The graph the service should hold for the world as it is now, computed straight from the sources'
 * records (not through the service's connectors, so that it can referee them): entities with URIs,
 * names, owners and tags; the declared edges; the edges inferred by rules R1 and R2; the metadata
 * defects the records hold; and the families of similar models planted into it.
 */
export function groundTruth(world: World, scheme = 'mlg'): GroundTruth {
  const r = world.records;
  const uri = (type: EntityType, id: string): string => uriOf(type, id, scheme);
  const usernames = new Map([...r.users.values()].map((user) => [user.email, user.username]));
  const entities: TruthEntity[] = [];
  const edges: TruthEdge[] = [];
  const edge = (subject: string, predicate: Predicate, object: string): void =>
    void edges.push({ subject, predicate, object, inferred: false, rule: null });
  const tags = (labels: readonly Label[]) => labels.map((label) => ({ tag: label.key, value: label.value }));
  const add = (type: EntityType, id: string, name: string, ownerEmails: readonly string[] = [], labels: readonly Label[] = []): string => {
    const subject = uri(type, id);
    const owners = ownerEmails.flatMap((email) => (usernames.has(email) ? [uri('user', usernames.get(email) as string)] : []));
    entities.push({ uri: subject, type, name, owners, tags: tags(labels) });
    for (const owner of owners) edge(subject, 'owned_by', owner);
    return subject;
  };

  for (const team of r.teams.values()) {
    const subject = add('team', team.id, team.name);
    for (const email of team.member_emails)
      if (usernames.has(email)) edge(uri('user', usernames.get(email) as string), 'member_of', subject);
  }
  for (const user of r.users.values()) add('user', user.username, user.display_name);
  for (const d of r.datasets.values()) {
    const subject = add('dataset', d.id, d.name, d.owner_emails, d.labels);
    if (d.producer_pipeline_id) edge(subject, 'produced_by', uri('pipeline', d.producer_pipeline_id));
  }
  for (const f of r.features.values()) {
    const subject = add('feature', f.id, f.name, f.owner_emails, f.labels);
    for (const dataset of f.source_dataset_ids) edge(subject, 'derived_from', uri('dataset', dataset));
  }
  for (const p of r.pipelines.values()) add('pipeline', p.id, p.name, p.owner_emails, p.labels);
  for (const run of r.runs.values()) {
    const subject = add('pipeline-run', run.run_id, run.run_id);
    edge(subject, 'run_of', uri('pipeline', run.pipeline));
    for (const dataset of run.input_datasets) edge(subject, 'reads', uri('dataset', dataset));
    for (const dataset of run.output_datasets) edge(subject, 'writes', uri('dataset', dataset));
    for (const cell of run.ab_test_cells) edge(subject, 'executed_for', uri('ab-test-cell', `${cell.test_id}.${cell.cell_number}`));
  }
  for (const m of r.models.values()) add('model', m.id, m.name, m.owner_emails, m.labels);
  for (const s of r.services.values()) add('service', s.name, s.name, s.owner_emails, s.labels);
  for (const i of r.instances.values()) {
    const subject = add('model-instance', i.id, `${i.model_id} ${i.version}`, i.owner_emails, i.labels);
    edge(subject, 'version_of', uri('model', i.model_id));
    if (i.pipeline_run_id) edge(subject, 'produced_by', uri('pipeline-run', i.pipeline_run_id));
    for (const feature of i.feature_ids) edge(subject, 'uses_feature', uri('feature', feature));
    for (const service of i.deployed_to) edge(subject, 'deployed_to', uri('service', service));
  }
  for (const t of r.tests.values()) {
    const subject = add('ab-test', t.test_id, t.name, t.owner_emails, t.labels);
    for (const cell of t.cells) {
      const cellUri = add('ab-test-cell', `${t.test_id}.${cell.cell_number}`, cell.name);
      edge(cellUri, 'cell_of', subject);
    }
  }

  // Appended one by one: a spread of a million edges would overflow the call stack.
  for (const inferred of [...inferR1(edges), ...inferR2(edges)]) edges.push(inferred);
  entities.sort((a, b) => a.uri.localeCompare(b.uri));
  return { entities, edges: dedupeAndSort(edges), defects: truthDefects(world, scheme), families: world.families };
}

/** R1: instance produced_by run, run executed_for cell, cell cell_of test ⇒ instance tested_in test. */
function inferR1(edges: readonly TruthEdge[]): TruthEdge[] {
  const index = (predicate: Predicate): Map<string, string[]> => {
    const map = new Map<string, string[]>();
    for (const e of edges) {
      if (e.predicate !== predicate) continue;
      const objects = map.get(e.subject);
      if (objects) objects.push(e.object);
      else map.set(e.subject, [e.object]);
    }
    return map;
  };
  const cellsOfRun = index('executed_for');
  const testOfCell = index('cell_of');
  return edges
    .filter((e) => e.predicate === 'produced_by' && e.object.includes('//pipeline-run/'))
    .flatMap((e) =>
      (cellsOfRun.get(e.object) ?? []).flatMap((cell) =>
        (testOfCell.get(cell) ?? []).map((test) => ({
          subject: e.subject,
          predicate: 'tested_in' as const,
          object: test,
          inferred: true,
          rule: 'R1' as const,
        })),
      ),
    );
}

/** R2: x owned_by user, user member_of team ⇒ x owned_by_team team. */
function inferR2(edges: readonly TruthEdge[]): TruthEdge[] {
  const teams = new Map<string, string[]>();
  for (const e of edges) {
    if (e.predicate !== 'member_of') continue;
    const list = teams.get(e.subject);
    if (list) list.push(e.object);
    else teams.set(e.subject, [e.object]);
  }
  return edges
    .filter((e) => e.predicate === 'owned_by')
    .flatMap((e) =>
      (teams.get(e.object) ?? []).map((team) => ({
        subject: e.subject,
        predicate: 'owned_by_team' as const,
        object: team,
        inferred: true,
        rule: 'R2' as const,
      })),
    );
}

function dedupeAndSort(edges: readonly TruthEdge[]): TruthEdge[] {
  const byKey = new Map(edges.map((e) => [`${e.subject} ${e.predicate} ${e.object}`, e]));
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, e]) => e);
}
