import { distance } from 'fastest-levenshtein';
import { AppError } from '../platform/errors';
import type { Db } from '../store/database';
import { nodesOf } from '../store/graph-reader';
import { duplicateCandidates, type DuplicatePair, type DuplicateUnit } from '../store/similarity';
import { requireKnown } from './known';
import type { LikelyDuplicate } from './answers';

export const DUPLICATE_TYPES: readonly DuplicateUnit[] = ['feature', 'dataset'];

/** Names this alike (1 − edits ÷ length, case and separators aside) and sources this shared (Jaccard) make a likely duplicate. */
const MIN_NAME_SIMILARITY = 0.85;
const MIN_SHARED_SOURCES = 0.5;

const normalized = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const round = (n: number): number => Math.round(n * 1000) / 1000;

export function nameSimilarity(a: string, b: string): number {
  const [x, y] = [normalized(a), normalized(b)];
  const longest = Math.max(x.length, y.length);
  return longest === 0 ? 0 : 1 - distance(x, y) / longest;
}

function duplicateUnit(type: string): DuplicateUnit {
  const unit = DUPLICATE_TYPES.find((t) => t === type);
  if (!unit)
    throw new AppError('BAD_REQUEST', `likely duplicates are found among ${DUPLICATE_TYPES.join(' and ')}, not ${type}`, {
      details: { parameter: 'type', allowed: [...DUPLICATE_TYPES] },
    });
  return unit;
}

/** Scores candidate pairs: alike names and mostly the same sources; the rest are dropped. */
async function judged(db: Db, pairs: readonly DuplicatePair[]): Promise<LikelyDuplicate[]> {
  const kept = pairs.flatMap((p) => {
    const similarity = nameSimilarity(p.a.name, p.b.name);
    const shared = p.a.sources.filter((s) => p.b.sources.includes(s));
    const jaccard = shared.length / new Set([...p.a.sources, ...p.b.sources]).size;
    return similarity >= MIN_NAME_SIMILARITY && jaccard >= MIN_SHARED_SOURCES ? [{ p, similarity, shared, jaccard }] : [];
  });
  const names = await nodesOf(
    db,
    kept.flatMap((k) => k.shared),
    null,
  );
  return kept
    .map(({ p, similarity, shared, jaccard }) => {
      const sharedSources = shared.map((uri) => ({ uri, name: names.get(uri)?.name ?? uri }));
      return {
        a: { uri: p.a.uri, name: p.a.name },
        b: { uri: p.b.uri, name: p.b.name },
        score: round((similarity + jaccard) / 2),
        nameSimilarity: round(similarity),
        sharedSources,
        reason: `names ${Math.round(similarity * 100)}% alike; ${sharedSources.length} of ${new Set([...p.a.sources, ...p.b.sources]).size} sources shared: ${sharedSources.map((s) => s.name).join(', ')}`,
      };
    })
    .sort((x, y) => y.score - x.score || x.a.uri.localeCompare(y.a.uri) || x.b.uri.localeCompare(y.b.uri));
}

/** Features or datasets that are likely one thing recorded twice: alike names, mostly the same sources. */
export async function likelyDuplicates(
  db: Db,
  type: string,
  limit: number,
): Promise<{ type: DuplicateUnit; duplicates: LikelyDuplicate[] }> {
  const unit = duplicateUnit(type);
  return { type: unit, duplicates: (await judged(db, await duplicateCandidates(db, unit, null))).slice(0, limit) };
}

/** The entities that are likely duplicates of one feature or dataset. */
export async function likelyDuplicatesOf(
  db: Db,
  uri: string,
  type: string,
  limit: number,
): Promise<{ root: string; duplicates: LikelyDuplicate[] }> {
  const unit = duplicateUnit(type);
  await requireKnown(db, uri, null);
  return { root: uri, duplicates: (await judged(db, await duplicateCandidates(db, unit, uri))).slice(0, limit) };
}
