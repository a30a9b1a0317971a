import { SEED_EXAMPLE } from './seed-example';
import { Random } from './random';
import type { World } from './world';

export interface PlantedDefects {
  /** Assets whose owners were removed. */
  readonly ownerless: readonly string[];
  /** Users made inactive (they left), each owning something. */
  readonly leavers: readonly string[];
  /** Assets whose description was emptied. */
  readonly undescribed: readonly string[];
  /** A feature an instance names that its source does not have. */
  readonly ghostFeature: string;
  /** A feature recorded twice: the original and its twin, named another way, with the same sources. */
  readonly duplicate: readonly [string, string] | null;
}

/**
 * Plants known metadata defects into a generated world, leaving the seed example alone: `count`
 * models and features lose their owners, `count` datasets their descriptions, `count` users who own
 * something leave, one instance names a feature the feature store does not have, and one feature is
 * recorded twice under a name written another way (a likely duplicate, not a defect). A random source
 * of its own, so the rest of the world is the same with or without them. The referee
 * (`truthDefects`) reads the records, so it counts these and any the generator made by chance.
 */
export function plantDefects(world: World, opts: { count: number; seed: number }): PlantedDefects {
  const rng = new Random(opts.seed + 104_729);
  const r = world.records;
  const seedIds = new Set<string>(Object.values(SEED_EXAMPLE));
  // Uniformly (power 1), from a stable order.
  const pick = (ids: Iterable<string>, n: number): string[] => rng.sampleSkewed([...ids].filter((id) => !seedIds.has(id)).sort(), n, 1);

  const ownerless = [...pick(r.models.keys(), Math.ceil(opts.count / 2)), ...pick(r.features.keys(), Math.floor(opts.count / 2))];
  for (const id of ownerless) {
    const record = r.models.get(id) ?? r.features.get(id);
    if (record) record.owner_emails = [];
  }
  const undescribed = pick(r.datasets.keys(), opts.count);
  for (const id of undescribed) {
    const record = r.datasets.get(id);
    if (record) record.description = '';
  }
  const owning = new Set([...r.models.values(), ...r.features.values(), ...r.datasets.values()].flatMap((x) => x.owner_emails));
  const leavers = pick(
    [...r.users.values()].filter((u) => u.active && owning.has(u.email)).map((u) => u.email),
    opts.count,
  );
  for (const email of leavers) {
    const user = r.users.get(email);
    if (user) user.active = false;
  }
  const ghostFeature = 'ghost-feature-never-served';
  const [instance] = pick(r.instances.keys(), 1);
  const record = instance ? r.instances.get(instance) : undefined;
  if (record) record.feature_ids = [...record.feature_ids, ghostFeature];
  const [original] = pick(
    [...r.features.keys()].filter((id) => !ownerless.includes(id)),
    1,
  );
  const source = original ? r.features.get(original) : undefined;
  let duplicate: [string, string] | null = null;
  if (original && source) {
    const twin = original.replaceAll('-', '_').toUpperCase();
    r.features.set(twin, { ...source, id: twin, name: twin, source_dataset_ids: [...source.source_dataset_ids] });
    duplicate = [original, twin];
  }
  return { ownerless, leavers, undescribed, ghostFeature, duplicate };
}
