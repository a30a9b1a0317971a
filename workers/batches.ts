/**
 * Groups an async stream into batches of at most `max` items, emitting a partial batch once `waitMs`
 * passes with no new item, so a quiet stream never holds items back.
 */
export async function* batches<T>(source: AsyncIterable<T>, opts: { max: number; waitMs: number }): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | null = null;
  let batch: T[] = [];
  for (;;) {
    next ??= iterator.next();
    const result = batch.length === 0 ? await next : await Promise.race([next, wait(opts.waitMs)]);
    if (result === TIMEOUT) {
      yield batch;
      batch = [];
      continue;
    }
    next = null;
    if (result.done) {
      if (batch.length > 0) yield batch;
      return;
    }
    batch.push(result.value);
    if (batch.length >= opts.max) {
      yield batch;
      batch = [];
    }
  }
}

const TIMEOUT = Symbol('timeout');
const wait = (ms: number): Promise<typeof TIMEOUT> => new Promise((resolve) => setTimeout(() => resolve(TIMEOUT), ms).unref());
