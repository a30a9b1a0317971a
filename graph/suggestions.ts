import { AppError } from '../platform/errors';
import type { Db } from '../store/database';
import { nodesOf } from '../store/graph-reader';
import { featuresUsedBy, similarByFeatures, type SimilarityUnit } from '../store/similarity';
import { requireKnown } from './known';
import type { SimilarAnswer, SuggestionsAnswer } from './answers';

export const SIMILARITY_TYPES: readonly SimilarityUnit[] = ['model', 'model-instance'];

/** How many similar models a feature suggestion draws on. */
const NEIGHBOURS = 5;

function unitOf(type: string): SimilarityUnit {
  const unit = SIMILARITY_TYPES.find((t) => t === type);
  if (!unit)
    throw new AppError('BAD_REQUEST', `similarity is computed for ${SIMILARITY_TYPES.join(' and ')}, not ${type}`, {
      details: { parameter: 'type', allowed: [...SIMILARITY_TYPES] },
    });
  return unit;
}

const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * The models (or model instances) most like this one by the features they use, rarer shared features
 * counting more; each says which features it shares. A suggestion, never a graph edge: the sources
 * did not say it.
 */
export async function similarTo(db: Db, uri: string, type: string, limit: number): Promise<SimilarAnswer> {
  const unit = unitOf(type);
  await requireKnown(db, uri, null);
  const rows = await similarByFeatures(db, unit, uri, limit);
  const names = await nodesOf(db, [...rows.map((r) => r.uri), ...rows.flatMap((r) => r.shared.map((s) => s.feature))], null);
  const name = (u: string) => names.get(u)?.name ?? u;
  return {
    root: uri,
    similar: rows.map((r) => {
      const sharedFeatures = r.shared.map((s) => ({ uri: s.feature, name: name(s.feature), weight: s.weight }));
      return {
        uri: r.uri,
        type: unit,
        name: name(r.uri),
        score: round(r.score),
        sharedFeatures,
        reason: `shares ${sharedFeatures.length} ${sharedFeatures.length === 1 ? 'feature' : 'features'}: ${sharedFeatures.map((f) => f.name).join(', ')}`,
      };
    }),
  };
}

/**
 * Features to consider for a model (or instance): those its most similar peers use and it does not,
 * scored by the similarity of the peers that use them.
 */
export async function suggestionsFor(db: Db, uri: string, type: string, limit: number): Promise<SuggestionsAnswer> {
  const unit = unitOf(type);
  await requireKnown(db, uri, null);
  const [peers, own] = await Promise.all([similarByFeatures(db, unit, uri, NEIGHBOURS), featuresUsedBy(db, unit, uri)]);
  const mine = new Set(own);
  const candidates = new Map<string, { score: number; usedBy: string[] }>();
  for (const peer of peers)
    for (const feature of peer.features) {
      if (mine.has(feature)) continue;
      const c = candidates.get(feature) ?? { score: 0, usedBy: [] };
      c.score += peer.score;
      c.usedBy.push(peer.uri);
      candidates.set(feature, c);
    }
  const ranked = [...candidates.entries()].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0])).slice(0, limit);
  const names = await nodesOf(db, [...ranked.map(([f]) => f), ...peers.map((p) => p.uri)], null);
  const name = (u: string) => names.get(u)?.name ?? u;
  return {
    root: uri,
    features: ranked.map(([feature, c]) => ({
      uri: feature,
      name: name(feature),
      score: round(c.score),
      usedBy: c.usedBy.map((u) => ({ uri: u, name: name(u) })),
      reason: `used by ${c.usedBy.length} of the ${peers.length} most similar: ${c.usedBy.map(name).join(', ')}`,
    })),
  };
}
