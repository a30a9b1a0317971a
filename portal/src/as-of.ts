import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/**
 * The time the whole page shows the graph at: `asOf` in the address, so that a link or a reload
 * keeps it; absent means now.
 */
export function useAsOf(): [string | null, (value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf');
  const set = useCallback(
    (value: string | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set('asOf', value);
        else next.delete('asOf');
        return next;
      }),
    [setParams],
  );
  return [asOf, set];
}

/** A portal link that keeps the page's time. */
export function withAsOf(path: string, asOf: string | null): string {
  if (!asOf) return path;
  return `${path}${path.includes('?') ? '&' : '?'}asOf=${encodeURIComponent(asOf)}`;
}
