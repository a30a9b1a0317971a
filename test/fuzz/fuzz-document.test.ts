import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'smol-toml';
import { casesOf, warningsOf } from './schemathesis';
import { fuzzTargets, operationOf, type OpenApiDocument } from './fuzz-document';

const path = (name: string, schema: Record<string, unknown> = { type: 'string' }) => ({ name, in: 'path', schema });
const served: OpenApiDocument = {
  openapi: '3.1.0',
  paths: {
    '/v1/search': { get: { operationId: 'getV1Search', parameters: [{ name: 'q', in: 'query' }] } },
    '/v1/paths': { get: { operationId: 'getV1Paths', parameters: [{ name: 'from', in: 'query' }] } },
    '/v1/entities/{type}/{source}/{nativeId}/lineage': {
      get: { operationId: 'getLineage', parameters: [path('type'), path('source'), path('nativeId'), { name: 'depth', in: 'query' }] },
    },
    '/v1/entities/{type}/{source}/{nativeId}/similar': {
      get: { operationId: 'getSimilar', parameters: [path('type', { type: 'string', enum: ['model'] }), path('source'), path('nativeId')] },
    },
    '/v1/entities/dataset/{source}/{nativeId}/column-lineage': {
      get: { operationId: 'getColumns', parameters: [path('source'), path('nativeId')] },
    },
  },
};
const world = {
  entities: [
    { type: 'model' as const, source: 'registry' as const, nativeId: 'ranker' },
    { type: 'dataset' as const, source: 'openlineage' as const, nativeId: 'bq/project.table' },
    { type: 'dataset' as const, source: 'openlineage' as const, nativeId: 'bq/other' },
  ],
  uris: ['mlg://model/registry/ranker'],
};

describe('the document schemathesis fuzzes', () => {
  const { document, config } = fuzzTargets(served, world);

  it('when a route takes any entity, then it is made concrete for each type and source the world holds, and the rest stay as served', () => {
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/v1/entities/dataset/openlineage/{nativeId}/column-lineage',
      '/v1/entities/dataset/openlineage/{nativeId}/lineage',
      '/v1/entities/model/registry/{nativeId}/lineage',
      '/v1/entities/model/registry/{nativeId}/similar',
      '/v1/paths',
      '/v1/search',
    ]);
    const lineage = document.paths['/v1/entities/dataset/openlineage/{nativeId}/lineage']?.get;
    assert.deepEqual(
      lineage?.parameters?.map((p) => p.name),
      ['nativeId', 'depth'],
    );
    assert.equal(lineage?.operationId, 'getLineage-dataset-openlineage');
  });

  it("when a route lists the types it answers for, then it is made concrete for those only (a dataset's similar would be a 400)", () => {
    assert.equal(document.paths['/v1/entities/dataset/openlineage/{nativeId}/similar'], undefined);
  });

  it('then the ids are bound to real ones nine times in ten, with examples that show an id may hold a slash', () => {
    const parsed = parse(config) as {
      dictionaries: Record<string, { values: string[] }>;
      operations: { 'include-path': string; parameters: Record<string, { dictionary: string; probability: number }> }[];
    };
    assert.deepEqual(parsed.dictionaries['ids-dataset-openlineage']?.values, ['bq/project.table', 'bq/other']);
    const bound = parsed.operations.find((o) => o['include-path'] === '/v1/entities/dataset/openlineage/{nativeId}/lineage');
    assert.deepEqual({ ...bound?.parameters['path.nativeId'] }, { dictionary: 'ids-dataset-openlineage', probability: 0.9 });
    const paths = parsed.operations.find((o) => o['include-path'] === '/v1/paths');
    assert.equal(paths?.parameters['query.from']?.dictionary, 'uris');
    const nativeId = document.paths['/v1/entities/dataset/openlineage/{nativeId}/lineage']?.get?.parameters?.[0];
    assert.deepEqual(nativeId?.examples, { 'real-0': { value: 'bq/project.table' }, 'real-1': { value: 'bq/other' } });
  });
});

describe('the operation of a request', () => {
  it('then an entity route is named by its template, and others by their path', () => {
    assert.equal(operationOf('GET', '/v1/entities/model/registry/ranker/lineage'), 'GET /v1/entities/{type}/{source}/{nativeId}/lineage');
    assert.equal(operationOf('GET', '/v1/entities/model/registry/ranker'), 'GET /v1/entities/{type}/{source}/{nativeId}');
    assert.equal(
      operationOf('GET', '/v1/entities/dataset/datasets/d/column-impact'),
      'GET /v1/entities/dataset/{source}/{nativeId}/column-impact',
    );
    assert.equal(operationOf('POST', '/api/v1/lineage'), 'POST /api/v1/lineage');
  });
});

describe("schemathesis's output", () => {
  const output = [
    '=================================== WARNINGS ===================================',
    '',
    'Missing test data: 1 operation repeatedly returned 404 Not Found',
    '  - POST /v1/webhooks/mlflow',
    '=================================== SUMMARY ====================================',
    'Test cases:',
    '  7751 generated, 7750 passed',
  ].join('\n');

  it('then its case count and its warnings are read from it', () => {
    assert.deepEqual(casesOf(output), { generated: 7751, passed: 7750 });
    assert.deepEqual(warningsOf(output), [
      'Missing test data: 1 operation repeatedly returned 404 Not Found',
      '  - POST /v1/webhooks/mlflow',
    ]);
    assert.equal(casesOf('no summary'), null);
  });
});
