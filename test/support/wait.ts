import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls until `check` returns true; on timeout throws with `explain()`'s last answer. With
 * `maxShare`, the pause after each check is long enough that checking takes at most that share of
 * the time (for checks that are costly and would compete with what they wait for).
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs?: number; intervalMs?: number; maxShare?: number; explain?: () => Promise<string> } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const started = performance.now();
    if (await check()) return;
    const took = performance.now() - started;
    await sleep(Math.max(opts.intervalMs ?? 250, opts.maxShare ? (took * (1 - opts.maxShare)) / opts.maxShare : 0));
  }
  throw new Error(`timed out waiting for ${what}${opts.explain ? `:\n${await opts.explain()}` : ''}`);
}

/**
 * Waits until a measure stops changing for `quietMs`: for letting a pipeline settle (in-flight
 * events written) before counting what it wrote.
 */
export async function waitForQuiet(
  what: string,
  measure: () => Promise<string>,
  opts: { quietMs: number; timeoutMs?: number },
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last = await measure();
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(Math.min(250, opts.quietMs));
    const now = await measure();
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= opts.quietMs) return;
  }
  throw new Error(`timed out waiting for ${what} to settle`);
}
