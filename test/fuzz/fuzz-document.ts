import { stringify } from 'smol-toml';
import type { EntityRef } from '../../domain/uri';

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema?: { readonly enum?: readonly string[] };
  readonly [key: string]: unknown;
}
interface Operation {
  readonly operationId?: string;
  readonly parameters?: readonly Parameter[];
  readonly [key: string]: unknown;
}
export interface OpenApiDocument {
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly [key: string]: unknown;
}

/** An entity route: `/v1/entities/{type}/{source}/{nativeId}…`, or one whose type is fixed (column lineage). */
const ENTITY_ROUTE = /^\/v1\/entities\/(\{type\}|[a-z-]+)\/\{source\}\/\{nativeId\}/;
/** How often a bound parameter takes a real value rather than a generated one. */
const REAL = 0.9;
/** Real identifiers per type and source, at the most: enough to walk many parts of the graph. */
const IDS_PER_KIND = 200;

/**
 * What schemathesis fuzzes: the served OpenAPI document with each entity route made concrete per type
 * and source that the world holds (the API refuses a source that a type does not come from, which a
 * document cannot say), and a configuration that binds the identifiers to real ones nine times in ten,
 * so that the generated depths, directions, filters and times reach the graph's walks instead of a
 * 404. The identifiers of paths' `from` and `to` are bound to real URIs in the same way.
 */
export function fuzzTargets(
  served: OpenApiDocument,
  world: { readonly entities: readonly EntityRef[]; readonly uris: readonly string[] },
): { document: OpenApiDocument; config: string } {
  const kinds = Map.groupBy(world.entities, (e) => `${e.type}/${e.source}`);
  const dictionaries: Record<string, { values: string[] }> = { uris: { values: world.uris.slice(0, IDS_PER_KIND * 5) } };
  const operations: Record<string, unknown>[] = [];
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, methods] of Object.entries(served.paths)) {
    const entity = ENTITY_ROUTE.exec(path);
    if (!entity) {
      paths[path] = { ...methods };
      continue;
    }
    // A route that answers for some types only lists them in its `type` parameter.
    const types = Object.values(methods)
      .flatMap((operation) => operation.parameters ?? [])
      .find((p) => p.in === 'path' && p.name === 'type')?.schema?.enum;
    for (const [kind, refs] of kinds) {
      const [type, source] = kind.split('/') as [string, string];
      if (entity[1] !== '{type}' ? entity[1] !== type : types !== undefined && !types.includes(type)) continue;
      const concrete = path.replace('{type}', type).replace('{source}', source);
      const ids = refs.slice(0, IDS_PER_KIND).map((r) => r.nativeId);
      // Examples of real ids tell schemathesis that an id may hold an (encoded) slash, as OpenLineage's do.
      const examples = Object.fromEntries(ids.slice(0, 3).map((id, i) => [`real-${i}`, { value: id }]));
      paths[concrete] = Object.fromEntries(
        Object.entries(methods).map(([method, operation]) => [
          method,
          {
            ...operation,
            operationId: `${operation.operationId ?? method}-${type}-${source}`,
            parameters: (operation.parameters ?? [])
              .filter((p) => !(p.in === 'path' && (p.name === 'type' || p.name === 'source')))
              .map((p) => (p.in === 'path' && p.name === 'nativeId' ? { ...p, examples } : p)),
          },
        ]),
      );
      const dictionary = `ids-${type}-${source}`;
      dictionaries[dictionary] = { values: ids };
      operations.push({ 'include-path': concrete, parameters: { 'path.nativeId': { dictionary, probability: REAL } } });
    }
  }
  const pathsBinding = { dictionary: 'uris', probability: REAL };
  operations.push({ 'include-path': '/v1/paths', parameters: { 'query.from': pathsBinding, 'query.to': pathsBinding } });
  return { document: { ...served, paths }, config: stringify({ dictionaries, operations }) };
}

/** The operation of the served document a request was for: `GET /v1/entities/{type}/{source}/{nativeId}/lineage`. */
export function operationOf(method: string, pathname: string): string {
  const parts = pathname.split('/');
  const entity = parts[1] === 'v1' && parts[2] === 'entities' && parts.length >= 6;
  const template = entity
    ? `/v1/entities/${parts[3] === 'dataset' && parts[6]?.startsWith('column-') ? 'dataset' : '{type}'}/{source}/{nativeId}${parts[6] ? `/${parts[6]}` : ''}`
    : pathname;
  return `${method} ${template}`;
}
