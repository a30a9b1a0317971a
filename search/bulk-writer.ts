import type { SearchClient } from './client';

/** One bulk action: an `index` with its document, or a `delete`. */
export type BulkAction =
  { readonly index: { _index: string; _id: string }; readonly doc: object } | { readonly delete: { _index: string; _id: string } };

/** What came back for each of a caller's actions: nothing, or the reason it failed. */
export type ActionFailure = string | null;

interface Waiting {
  readonly actions: readonly BulkAction[];
  resolve(failures: ActionFailure[]): void;
  reject(error: unknown): void;
}

/**
 * Gathers the writes of concurrent callers (the entity workflows' refreshes running side by side)
 * into one `_bulk` request: a caller waits at most `maxWaitMs` for company, and hears back about its
 * own actions only. A request that fails as a whole (Elasticsearch away) fails every caller in it.
 */
export class BulkWriter {
  private waiting: Waiting[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: SearchClient,
    private readonly options: { maxWaitMs: number; maxActions: number } = { maxWaitMs: 5, maxActions: 1000 },
  ) {}

  write(actions: readonly BulkAction[]): Promise<ActionFailure[]> {
    if (actions.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ actions, resolve, reject });
      this.queued += actions.length;
      if (this.queued >= this.options.maxActions) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    this.queued = 0;
    void this.send(batch);
  }

  private async send(batch: readonly Waiting[]): Promise<void> {
    const operations = batch.flatMap((w) => w.actions.flatMap((a) => ('doc' in a ? [{ index: a.index }, a.doc] : [{ delete: a.delete }])));
    try {
      // Short waits: a write runs inside an entity workflow's local activity (4 s in all), and while the
      // cluster recovers a bulk would otherwise wait a minute for its shards; failing fast lets the
      // workflow retry on a timer instead.
      const response = await this.client.bulk({ operations, timeout: '2s' }, { requestTimeout: 3_500, maxRetries: 0 });
      let item = 0;
      for (const w of batch) {
        const failures = w.actions.map(() => {
          const result = Object.values(response.items[item++] ?? {})[0];
          // Deleting a document that is not there is what a delete wants.
          if (!result?.error || (result.status === 404 && result.result === 'not_found')) return null;
          return `${result._id}: ${result.error.reason ?? result.error.type}`;
        });
        w.resolve(failures);
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }
}
