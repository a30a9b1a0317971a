import { uriOf } from '../../domain/uri';
import type { EntityType } from '../../domain/vocabulary';
import type { World } from './world';

export interface TruthDefect {
  readonly uri: string;
  readonly code: 'no-owner' | 'owner-inactive' | 'no-description' | 'never-hydrated';
}

/**
 * The metadata defects the world's records hold, computed from the records themselves (not through
 * the service, so that it can referee it): assets nobody known owns, assets an inactive user owns,
 * assets without a description (where their source has one), and references to features or datasets
 * their source does not have (they can only ever be placeholders). Sorted by URI, then code.
 */
export function truthDefects(world: World, scheme = 'mlg'): TruthDefect[] {
  const r = world.records;
  const inactive = new Set([...r.users.values()].filter((u) => !u.active).map((u) => u.email));
  const known = new Set(r.users.keys());
  const found: TruthDefect[] = [];
  const check = (type: EntityType, id: string, record: { owner_emails: string[]; description?: string | null }, described: boolean) => {
    const uri = uriOf(type, id, scheme);
    if (record.owner_emails.filter((e) => known.has(e)).length === 0) found.push({ uri, code: 'no-owner' });
    if (record.owner_emails.some((e) => inactive.has(e))) found.push({ uri, code: 'owner-inactive' });
    if (described && !record.description) found.push({ uri, code: 'no-description' });
  };
  for (const [id, d] of r.datasets) check('dataset', id, d, true);
  for (const [id, f] of r.features) check('feature', id, f, true);
  for (const [id, p] of r.pipelines) check('pipeline', id, p, true);
  for (const [id, m] of r.models) check('model', id, m, true);
  for (const [id, i] of r.instances) check('model-instance', id, i, false);
  for (const [name, s] of r.services) check('service', name, s, true);
  for (const [id, t] of r.tests) check('ab-test', id, t, true);
  // References their source does not have: each named once.
  const ghosts = new Set<string>();
  const ghost = (type: EntityType, id: string): void => {
    const uri = uriOf(type, id, scheme);
    if (!ghosts.has(uri)) found.push({ uri, code: 'never-hydrated' });
    ghosts.add(uri);
  };
  for (const i of r.instances.values()) for (const f of i.feature_ids) if (!r.features.has(f)) ghost('feature', f);
  for (const f of r.features.values()) for (const d of f.source_dataset_ids) if (!r.datasets.has(d)) ghost('dataset', d);
  return found.sort((a, b) => a.uri.localeCompare(b.uri) || a.code.localeCompare(b.code));
}
