import { setTimeout as sleep } from 'node:timers/promises';
import { MultiBar, Presets } from 'cli-progress';
import type { WorkflowHandle } from '@temporalio/client';
import { SOURCE_NAMES, type SourceName } from '../domain/vocabulary';
import { configuredSources } from '../platform/config';
import { isTemporalUnavailable } from '../temporal/connection';
import { startSync } from '../temporal/sync-schedule';
import { syncProgressQuery, type syncWorkflow, type SyncProgress } from '../workflows/sync';
import { answer, asOperator, CommandError, count, EXIT, type Output } from './context';

export interface SyncOptions {
  readonly full: boolean;
  readonly since: Date | null;
  readonly force: boolean;
  readonly wait: boolean;
}

const POLL_MS = 500;

const summary = (p: SyncProgress): string =>
  `${count(p.entities, 'entity', 'entities')} in ${count(p.pages, 'page')}, ${p.changed} changed` +
  (p.superseded > 0 ? `, ${p.superseded} older than stored` : '') +
  (p.invalid > 0 ? `, ${p.invalid} invalid` : '') +
  (p.mode === 'full' ? `, ${p.deleted} deleted` : '');

/** `mlg sync [source…]`: starts a sync of each source (all by default) and, with --wait, follows them to the end. */
export async function syncCommand(sources: readonly string[], opts: SyncOptions, out: Output): Promise<number> {
  const unknown = sources.filter((s) => !(SOURCE_NAMES as readonly string[]).includes(s));
  if (unknown.length > 0)
    throw new CommandError(EXIT.usage, `unknown source ${unknown.join(', ')}; the sources are ${SOURCE_NAMES.join(', ')}`);
  return asOperator(opts.full ? 'sync.full' : 'sync', sources.length > 0 ? sources.join(',') : null, async (services, config) => {
    const configured = configuredSources(config);
    const off = sources.filter((s) => !(configured as readonly string[]).includes(s));
    if (off.length > 0)
      throw new CommandError(EXIT.usage, `${off.join(', ')} is not configured here (set MLG_SOURCE_${off[0]?.toUpperCase()}_URL)`);
    const chosen = (sources.length > 0 ? sources : configured) as SourceName[];
    // Identity first: the other sources' owners then resolve from the graph.
    const ordered = [...chosen.filter((s) => s === 'identity'), ...chosen.filter((s) => s !== 'identity')];
    const mode = opts.full ? 'full' : 'incremental';
    const started: { source: SourceName; handle: WorkflowHandle<typeof syncWorkflow>; attached: boolean }[] = [];
    try {
      for (const source of ordered) {
        const { handle, attached } = await startSync(services.temporal.client, config, {
          source,
          mode,
          since: opts.since,
          force: opts.force,
        });
        started.push({ source, handle, attached });
      }
    } catch (error) {
      if (isTemporalUnavailable(error)) throw new CommandError(EXIT.unavailable, `Temporal does not answer at ${config.temporal.address}`);
      throw error;
    }
    const ui = `${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`;
    if (!opts.wait) {
      answer(
        out,
        started.map((s) => ({ source: s.source, workflowId: s.handle.workflowId, attached: s.attached })),
        () => [
          ...started.map((s) => `${s.source}: ${s.attached ? 'already syncing' : `${mode} sync started`} (${s.handle.workflowId})`),
          `Follow them with --wait, or in the Temporal UI: ${ui}`,
        ],
      );
      return EXIT.ok;
    }
    const results = await follow(
      started.map((s) => ({
        source: s.source,
        handle: services.temporal.client.workflow.getHandle<typeof syncWorkflow>(s.handle.workflowId),
      })),
      out,
    );
    const failed = results.filter((r) => r.progress.phase === 'failed');
    answer(
      out,
      results.map((r) => r.progress),
      () =>
        results.map(
          ({ source, progress: p }) =>
            `${source}: ${p.phase}, ${summary(p)}${p.message ? `\n  ${p.message}` : ''}${p.errors.length > 0 ? `\n  first errors: ${p.errors.slice(0, 3).join('; ')}` : ''}`,
        ),
    );
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  });
}

interface Followed {
  readonly source: SourceName;
  readonly handle: WorkflowHandle<typeof syncWorkflow>;
}

/** Polls each sync's progress until all have ended: bars on a terminal, a line per change otherwise. */
async function follow(syncs: readonly Followed[], out: Output): Promise<{ source: SourceName; progress: SyncProgress }[]> {
  const bars = out.tty
    ? new MultiBar(
        {
          format: '{source} {bar} {value} entities | {pages} pages | {changed} changed | {rate}/s | {phase}',
          hideCursor: true,
          clearOnComplete: false,
        },
        Presets.shades_classic,
      )
    : null;
  const startedAt = Date.now();
  const state = await Promise.all(
    syncs.map(async (s) => {
      const bar = bars?.create(1, 0, { source: s.source.padEnd(12), pages: 0, changed: 0, rate: 0, phase: 'starting' }) ?? null;
      let last = '';
      const show = (p: SyncProgress): void => {
        const rate = Math.round(p.entities / Math.max((Date.now() - startedAt) / 1000, 0.001));
        if (bar) {
          bar.setTotal(Math.max(p.entities, 1));
          bar.update(p.entities, {
            pages: p.pages,
            changed: p.changed,
            rate,
            phase: p.collection ? `${p.phase} ${p.collection}` : p.phase,
          });
          return;
        }
        if (p.phase === 'starting') return;
        const line = `${s.source}: ${p.phase}${p.collection ? ` ${p.collection}` : ''}, ${summary(p)}`;
        if (!out.json && line !== last) console.log(line);
        last = line;
      };
      for (;;) {
        const description = await s.handle.describe();
        if (description.status.name !== 'RUNNING') {
          const progress = await s.handle.result().catch(async () => s.handle.query(syncProgressQuery));
          // Without bars, the summary that follows says how it ended.
          if (bar) show(progress);
          return { source: s.source, progress };
        }
        // A sync that no worker has picked up yet has no progress to tell.
        const progress = await s.handle.query(syncProgressQuery).catch(() => null);
        if (progress) show(progress);
        await sleep(POLL_MS);
      }
    }),
  );
  bars?.stop();
  return state;
}
