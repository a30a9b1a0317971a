import { Random } from './random';
import type { World } from './world';

/** A planted family: models built on the same rare features, which similarity should find together. */
export interface PlantedFamily {
  readonly id: string;
  readonly models: readonly string[];
  /** The features only this family uses (and one outsider, as noise). */
  readonly features: readonly string[];
}

const FAMILY_SIZE = 6;
const SIGNATURE = 4;
/** Of its family's features, each version uses this many; it also uses this many features of the whole world. */
const SIGNATURE_USED = 2;
const NOISE = 4;
const T = '2026-01-01T00:00:00Z';

/**
 * Plants families of similar models into a generated world (for the suggestions benchmark): each
 * family is six models with two versions each; a version uses two of its family's four rare features
 * and four features of the whole world, drawn towards the popular ones (noise that plain overlap
 * counts as much as the family's own); one model outside each family also uses one family feature.
 * A random source of its own, so the rest of the world is the same with or without families.
 */
export function plantModelFamilies(world: World, opts: { families: number; seed: number }): PlantedFamily[] {
  const rng = new Random(opts.seed + 7919);
  const r = world.records;
  const pool = [...r.features.keys()];
  const datasets = [...r.datasets.keys()];
  const owners = [...r.users.keys()];
  const outsiders = [...r.models.keys()];
  const planted: PlantedFamily[] = [];
  for (let f = 0; f < opts.families; f++) {
    const id = `family-${String(f).padStart(3, '0')}`;
    const owner = { owner_emails: [rng.pick(owners)], labels: [], created_at: T, updated_at: T };
    const features = Array.from({ length: SIGNATURE }, (_, k) => `${id}-signal-${k}`);
    for (const feature of features)
      r.features.set(feature, {
        id: feature,
        name: feature,
        description: `A feature only ${id} uses.`,
        value_type: 'float',
        source_dataset_ids: [rng.pick(datasets)],
        version: 1,
        ...owner,
      });
    const models = Array.from({ length: FAMILY_SIZE }, (_, m) => `${id}-model-${m}`);
    for (const model of models) {
      r.models.set(model, { id: model, name: model, description: `A model of ${id}.`, ...owner });
      for (let v = 1; v <= 2; v++)
        r.instances.set(`${model}-v${v}`, {
          id: `${model}-v${v}`,
          model_id: model,
          version: `v${v}`,
          pipeline_run_id: null,
          feature_ids: [...new Set([...rng.sampleSkewed(features, SIGNATURE_USED, 1), ...rng.sampleSkewed(pool, NOISE)])],
          deployed_to: [],
          status: 'released',
          ...owner,
        });
    }
    const outsider = outsiders.length > 0 ? rng.pick(outsiders) : null;
    const instance = outsider ? [...r.instances.values()].find((i) => i.model_id === outsider) : undefined;
    if (instance && features[0]) instance.feature_ids = [...new Set([...instance.feature_ids, features[0]])];
    planted.push({ id, models, features });
  }
  world.families.push(...planted);
  return planted;
}
