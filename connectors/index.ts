import type { HydrationTarget } from '../domain/hydration-target';
import type { EntityType, SourceName } from '../domain/vocabulary';
import type { Connector, EntityDeclaration, EventDeclaration } from './connector';
import { datasets } from './datasets';
import { experiments } from './experiments';
import { featurestore } from './featurestore';
import { identity } from './identity';
import { orchestrator } from './orchestrator';
import { registry } from './registry';

/** Every source the service knows. A new source is one folder beside these and one line here. */
export const CONNECTORS: readonly Connector[] = [registry, orchestrator, featurestore, experiments, datasets, identity];

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

/** How an entity type is hydrated, from the connector of its source. */
export function entityDeclaration(type: EntityType): { source: SourceName; declaration: EntityDeclaration } {
  for (const connector of CONNECTORS) {
    const declaration = connector.entities[type];
    if (declaration) return { source: connector.source, declaration };
  }
  throw new Error(`no connector hydrates entities of type ${type}`);
}

/** What to hydrate for an entity: itself, or its container for entities with no endpoint (cells). */
export function hydrationTarget(type: EntityType, lookupKey: string): HydrationTarget {
  const { source, declaration } = entityDeclaration(type);
  if ('via' in declaration) {
    const container = declaration.via(lookupKey);
    return { type: container.type, source: entityDeclaration(container.type).source, lookupKey: container.lookupKey };
  }
  return { type, source, lookupKey };
}
