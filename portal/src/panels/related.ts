import { useEffect, useState } from 'react';
import { getJson, type Entity, type Relationship } from '../api';
import { parseUri } from '../../../domain/uri';
import { apiPath } from '../links';

/** The entity's relationships with one predicate, in one direction. */
export const related = (entity: Entity, predicate: string, direction: 'out' | 'in'): Relationship[] =>
  entity.relationships.filter((r) => r.predicate === predicate && r.direction === direction);

/** How many related entities a panel reads in full (a page of related entities, not all of them). */
export const PANEL_LIMIT = 30;

/** The related entities in full (for their status, times, versions), as of the page's time. */
export function useEntities(uris: readonly string[], asOf: string | null): Entity[] | null {
  const key = `${uris.slice(0, PANEL_LIMIT).join(' ')}|${asOf ?? ''}`;
  const [state, setState] = useState<{ key: string; entities: Entity[] } | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    const wanted = key.split('|')[0]?.split(' ').filter(Boolean) ?? [];
    void Promise.all(
      wanted.map((uri) =>
        getJson<Entity>(apiPath(parseUri(uri)), { asOf }, controller.signal).then(
          (e) => e,
          () => null,
        ),
      ),
    ).then((entities) => {
      if (!controller.signal.aborted) setState({ key, entities: entities.filter((e): e is Entity => e !== null) });
    });
    return () => controller.abort();
  }, [key, asOf]);
  return state?.key === key ? state.entities : null;
}

export const str = (value: unknown): string | null =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;

/** A run's status, whichever source reported it (the orchestrator's status, OpenLineage's state). */
export const runStatus = (run: Entity): string => str(run.attributes.status) ?? str(run.attributes.state) ?? 'unknown';
export const isFailed = (status: string): boolean => /^(FAILED|FAIL|ABORT)$/i.test(status);
