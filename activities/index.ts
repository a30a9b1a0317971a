import { ping } from './ping';

/** What activities need from the outside world; passed in so that they are testable without globals. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- dependencies arrive with ingestion (store, search, connectors)
export interface ActivityDeps {}

export function createActivities(_deps: ActivityDeps) {
  return { ping };
}

export type Activities = ReturnType<typeof createActivities>;
