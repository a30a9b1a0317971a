import { qualityScore, signalCode, SIGNALS, type Severity, type SignalCode } from '../domain/quality';
import type { Db } from '../store/database';
import { pastSignals, qualityRows, type QualityRow } from '../store/quality';
import type { EntityQuality, EntityQualityNow, QualityGroup as Group } from './answers';

/** How many signals an entity no longer has are shown with it. */
const PAST_SHOWN = 10;

export interface QualityFilters {
  readonly types: readonly string[];
  readonly sources: readonly string[];
  /** User URIs: entities they own. */
  readonly owners: readonly string[];
  /** Team URIs: entities they own (rule R2). */
  readonly teams: readonly string[];
  readonly signals: readonly SignalCode[];
  readonly severities: readonly Severity[];
  readonly limit: number;
  readonly offset: number;
}

const qualityOfRow = (row: QualityRow): EntityQuality => {
  const signals = row.signals.map((s) => ({ code: signalCode(s.code), since: s.since }));
  return {
    ...row,
    score: qualityScore(signals.map((s) => s.code)),
    signals: signals.map((s) => ({ code: s.code, ...SIGNALS[s.code], since: new Date(s.since).toISOString() })),
  };
};

const matches = (q: EntityQuality, f: QualityFilters): boolean =>
  (f.types.length === 0 || f.types.includes(q.type)) &&
  (f.sources.length === 0 || f.sources.includes(q.source)) &&
  (f.owners.length === 0 || q.owners.some((o) => f.owners.includes(o))) &&
  (f.teams.length === 0 || q.teams.some((t) => f.teams.includes(t))) &&
  q.signals.some(
    (s) => (f.signals.length === 0 || f.signals.includes(s.code)) && (f.severities.length === 0 || f.severities.includes(s.severity)),
  );

/** The entities with quality signals the last sweeps found, worst first (lowest score), filtered; each signal with its code, severity and explanation. */
export async function qualityOf(db: Db, filters: QualityFilters): Promise<{ total: number; entities: EntityQuality[] }> {
  const all = (await qualityRows(db)).map(qualityOfRow).filter((q) => matches(q, filters));
  all.sort((a, b) => a.score - b.score || a.uri.localeCompare(b.uri));
  return { total: all.length, entities: all.slice(filters.offset, filters.offset + filters.limit) };
}

/** One entity's quality as the last sweep found it, with the signals it no longer has. */
export async function qualityOfEntity(db: Db, uri: string): Promise<EntityQualityNow | null> {
  const [row] = await qualityRows(db, [uri]);
  if (!row) return null;
  const q = qualityOfRow(row);
  const past = (await pastSignals(db, uri, PAST_SHOWN)).map((p) => ({
    code: p.code,
    since: p.since.toISOString(),
    until: p.until.toISOString(),
  }));
  return { score: q.score, signals: q.signals, past };
}

function groups(all: readonly EntityQuality[], keysOf: (q: EntityQuality) => readonly string[]): Group[] {
  const by = Map.groupBy(
    all.flatMap((q) => keysOf(q).map((key) => ({ key, q }))),
    (pair) => pair.key,
  );
  return [...by.entries()]
    .map(([key, pairs]) => {
      const list = pairs.map((pair) => pair.q);
      const signals: Partial<Record<SignalCode, number>> = {};
      for (const q of list) for (const s of q.signals) signals[s.code] = (signals[s.code] ?? 0) + 1;
      return {
        key,
        entities: list.length,
        withSignals: list.filter((q) => q.signals.length > 0).length,
        meanScore: Math.round((list.reduce((sum, q) => sum + q.score, 0) / list.length) * 10) / 10,
        signals,
      };
    })
    .sort((a, b) => a.meanScore - b.meanScore || a.key.localeCompare(b.key));
}

/** Standing per type, source, team and owner: how many entities, how many with signals, their mean score, and which signals; worst first. */
export async function qualitySummary(db: Db) {
  const all = (await qualityRows(db)).map(qualityOfRow);
  const [overall] = groups(all, () => ['all']);
  return {
    overall: overall ?? { key: 'all', entities: 0, withSignals: 0, meanScore: 100, signals: {} },
    byType: groups(all, (q) => [q.type]),
    bySource: groups(all, (q) => [q.source]),
    byTeam: groups(all, (q) => q.teams),
    byOwner: groups(all, (q) => q.owners),
  };
}
