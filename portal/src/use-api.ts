import { useEffect, useState } from 'react';
import { getJson, query, type Params } from './api';

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: Error | null;
  readonly loading: boolean;
}

/** Fetches an API answer whenever the path or its parameters change; the stale request is aborted. */
export function useApi<T>(path: string | null, params: Params = {}): Loaded<T> {
  const key = path === null ? null : `${path}${query(params)}`;
  const [state, setState] = useState<Loaded<T> & { key: string | null }>({ data: null, error: null, loading: key !== null, key });
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, key }));
    getJson<T>(path, params, controller.signal).then(
      (data) => setState({ data, error: null, loading: false, key }),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState({ data: null, error: error instanceof Error ? error : new Error(String(error)), loading: false, key });
      },
    );
    return () => controller.abort();
    // The key stands for path and params.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  // An answer for other parameters is not shown as if it were this one's.
  return state.key === key ? state : { data: null, error: null, loading: true };
}
