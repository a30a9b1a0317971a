import { z } from 'zod';
import type { RouteSpec } from './route-spec';
import { problem } from './schemas';

type JsonSchema = Record<string, unknown>;

const UNAVAILABLE = {
  description: 'A server this operation needs is unavailable (the problem names it); retry after the Retry-After header',
  schema: problem,
};

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  return rest;
};

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

/**
 * The OpenAPI 3.1 document of the API, generated from the same route declarations and zod schemas
 * that validate requests: there is no hand-kept copy to drift.
 */
export function openApiDocument(specs: readonly RouteSpec[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of specs) {
    // Every operation but health may meet a server that is away: a 503 problem with Retry-After.
    const declared: RouteSpec['responses'] =
      spec.scope === 'public' || 503 in spec.responses ? spec.responses : { ...spec.responses, 503: UNAVAILABLE };
    const responses = Object.fromEntries(
      Object.entries(declared).map(([status, r]) => [
        status,
        {
          description: r.description,
          ...(r.schema
            ? {
                content: {
                  [r.contentType ?? (Number(status) >= 400 ? 'application/problem+json' : 'application/json')]: {
                    schema: schemaOf(r.schema, 'output'),
                  },
                },
              }
            : {}),
        },
      ]),
    );
    (paths[spec.path] ??= {})[spec.method] = {
      operationId: `${spec.method}${spec.path.replace(/[{}]/g, '').replace(/(^|[/-])(\w)/g, (_m, _sep: string, c: string) => c.toUpperCase())}`,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [spec.tag],
      parameters: [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')],
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(spec.body, 'input') } } } } : {}),
      responses,
      ...(spec.scope === 'public' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Model Lifecycle Graph API',
      version: info.version,
      description: 'Lineage, impact, usage, paths, deprecation and search over the ML platform metadata graph, now or as of any time.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A token from MLG_API_TOKENS; reads need the read scope, writes the write scope.',
        },
      },
    },
    paths,
  };
}
