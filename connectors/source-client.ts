import { Agent, fetch, type Response } from 'undici';
import { AppError } from '../platform/errors';

/** What a source answered, and when (ms): of two states of an entity, the one fetched later is newer. */
export type FetchOutcome = ({ readonly status: 'found'; readonly payload: unknown } | { readonly status: 'gone' }) & {
  readonly fetchedAt: number;
};

/** The clients of the configured sources: the reference ones always, optional ones (MLflow) where configured. */
export type SourceClients = Readonly<Partial<Record<string, SourceClient>>> & { readonly identity: SourceClient };

/** The client of a source; a source that is not configured here is a non-retryable SOURCE_REJECTED. */
export function sourceClient(clients: SourceClients, source: string): SourceClient {
  const client = clients[source];
  if (!client) throw new AppError('SOURCE_REJECTED', `${source} is not configured here (set MLG_SOURCE_${source.toUpperCase()}_URL)`);
  return client;
}

/**
 * GETs from one source system's base URL (which may carry a path prefix). 404 means the entity is
 * gone; 429 is SOURCE_RATE_LIMITED with the Retry-After; 5xx, timeouts and network errors are
 * SOURCE_UNAVAILABLE; any other status is SOURCE_REJECTED. Identical calls within `cacheMs` share one
 * request and its answer. Every request first waits for `beforeCall` (the shared rate gate).
 */
export type CallOutcome = 'answered' | 'failed' | 'throttled';

export class SourceClient {
  private readonly cache = new Map<string, { at: number; outcome: Promise<FetchOutcome> }>();

  constructor(
    readonly source: string,
    private readonly baseUrl: string,
    private readonly options: {
      cacheMs: number;
      timeoutMs: number;
      beforeCall?: () => Promise<void>;
      /** Told how each request went: answered (found or gone), failed, or throttled (429). */
      afterCall?: (outcome: CallOutcome) => void;
      /** Sent as `Authorization: Bearer …` (never in a message). */
      token?: string | null;
      /** The CA (PEM) the source's certificate is checked against, for an https URL. */
      ca?: string | null;
    },
  ) {
    this.dispatcher = options.ca ? new Agent({ connect: { ca: options.ca } }) : undefined;
  }

  private readonly dispatcher: Agent | undefined;

  /**
   * `notBefore` (ms): only an answer whose request started at or after this time may be shared. A
   * hydration passes the time it began, so that it never gets a state older than the events that asked for it.
   */
  async get(path: string, opts: { notBefore?: number } = {}): Promise<FetchOutcome> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}`;
    if (this.options.cacheMs <= 0) return this.fetchOnce(url);
    const now = Date.now();
    const cached = this.cache.get(url);
    if (cached && now - cached.at < this.options.cacheMs && cached.at >= (opts.notBefore ?? 0)) return cached.outcome;
    const outcome = this.fetchOnce(url);
    this.cache.set(url, { at: now, outcome });
    outcome.catch(() => this.cache.delete(url));
    this.evictOld(now);
    return outcome;
  }

  private async fetchOnce(url: string): Promise<FetchOutcome> {
    await this.options.beforeCall?.();
    try {
      const outcome = await this.request(url);
      this.options.afterCall?.('answered');
      return outcome;
    } catch (error) {
      this.options.afterCall?.((error as AppError).code === 'SOURCE_RATE_LIMITED' ? 'throttled' : 'failed');
      throw error;
    }
  }

  private async request(url: string): Promise<FetchOutcome> {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}) },
        signal: AbortSignal.timeout(this.options.timeoutMs),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
      });
    } catch (error) {
      throw new AppError('SOURCE_UNAVAILABLE', `${this.source}: GET ${url} failed: ${(error as Error).message}`, { cause: error });
    }
    const fetchedAt = Date.now();
    if (response.status === 404) {
      await response.body?.cancel();
      return { status: 'gone', fetchedAt };
    }
    if (response.status === 429) {
      await response.body?.cancel();
      const seconds = Number(response.headers.get('retry-after'));
      throw new AppError('SOURCE_RATE_LIMITED', `${this.source} rate-limited GET ${url}`, {
        retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000,
      });
    }
    if (response.status >= 500) {
      await response.body?.cancel();
      throw new AppError('SOURCE_UNAVAILABLE', `${this.source} answered ${response.status} to GET ${url}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new AppError('SOURCE_REJECTED', `${this.source} answered ${response.status} to GET ${url}`, {
        details: { status: response.status },
      });
    }
    try {
      return { status: 'found', payload: await response.json(), fetchedAt };
    } catch (error) {
      throw new AppError('SOURCE_PAYLOAD_INVALID', `${this.source} answered GET ${url} with invalid JSON`, { cause: error });
    }
  }

  private evictOld(now: number): void {
    // Kept small: entries older than the window are of no use, and each holds a whole payload.
    if (this.cache.size < 1_000) return;
    for (const [url, entry] of this.cache) if (now - entry.at >= this.options.cacheMs) this.cache.delete(url);
  }
}
