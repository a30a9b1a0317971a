import type { HydrationTarget } from '../domain/hydration-target';
import { SOURCE_OF, type EntityType, type SourceName } from '../domain/vocabulary';
import type { Connector, EntityDeclaration, EventDeclaration } from './connector';
import { datasets } from './datasets';
import { experiments } from './experiments';
import { featurestore } from './featurestore';
import { identity } from './identity';
import { mlflow } from './mlflow';
import { orchestrator } from './orchestrator';
import { registry } from './registry';

/** Every source the service knows. A new source is one folder beside these and one line here. */
export const CONNECTORS: readonly Connector[] = [registry, orchestrator, featurestore, experiments, datasets, identity, mlflow];

export interface CatalogEvent extends EventDeclaration {
  readonly source: SourceName;
}

/** Every event type of every connector, with its source. */
export const EVENT_CATALOG: Readonly<Record<string, CatalogEvent>> = Object.freeze(
  Object.fromEntries(
    CONNECTORS.flatMap((c) => Object.entries(c.events).map(([type, declaration]) => [type, { ...declaration, source: c.source }])),
  ),
);

export function connectorFor(source: SourceName): Connector {
  const connector = CONNECTORS.find((c) => c.source === source);
  if (!connector) throw new Error(`no connector for source ${source}`);
  return connector;
}

/** How an entity type is hydrated from a source (its own by default), by that source's connector. */
export function entityDeclaration(type: EntityType, source: SourceName = SOURCE_OF[type]): EntityDeclaration {
  const declaration = connectorFor(source).entities[type];
  if (!declaration) throw new Error(`${source} does not hydrate entities of type ${type}`);
  return declaration;
}

/** What to hydrate for an entity: itself, or its container for entities with no endpoint (cells). */
export function hydrationTarget(type: EntityType, source: SourceName, lookupKey: string): HydrationTarget {
  const declaration = entityDeclaration(type, source);
  if ('via' in declaration) {
    const container = declaration.via(lookupKey);
    return { type: container.type, source, lookupKey: container.lookupKey };
  }
  return { type, source, lookupKey };
}
