import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entityDeclaration } from '../../../connectors';

/** Answers of MLflow 3.17's REST API, as the real server gave them (trimmed). */
const RUN = {
  run: {
    info: {
      run_id: '1618ddb7',
      experiment_id: '1',
      run_name: 'train-m1',
      user_id: 'alice',
      status: 'FINISHED',
      start_time: 1795501086986,
      end_time: 1795501087239,
      lifecycle_stage: 'active',
    },
    data: {
      metrics: [{ key: 'auc', value: 0.87, timestamp: 1795501087229, step: 0 }],
      params: [{ key: 'max_depth', value: '6' }],
      tags: [
        { key: 'mlflow.user', value: 'alice' },
        { key: 'team', value: 'personalization' },
      ],
    },
    inputs: {
      dataset_inputs: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'member_viewing_history',
            digest: '34e4f98a',
            source_type: 's3',
            source: '{"uri": "s3://warehouse/member_viewing_history"}',
          },
        },
      ],
    },
  },
};
const VERSION = {
  model_version: {
    name: 'm1',
    version: '1',
    status: 'READY',
    run_id: '1618ddb7',
    source: 'runs:/1618ddb7/model',
    description: '',
    aliases: ['champion'],
  },
};

const normalize = (type: 'pipeline-run' | 'model-instance', payload: unknown) => {
  const declaration = entityDeclaration(type, 'mlflow');
  assert.ok('normalize' in declaration);
  return declaration.normalize(payload);
};

describe('the MLflow connector', () => {
  it('when a run is normalized, then it keeps its metrics and parameters, reads its input dataset (described by the run) and is owned by its user', () => {
    const n = normalize('pipeline-run', RUN);
    assert.equal(n.primary.source, 'mlflow');
    assert.deepEqual(n.primary.attributes.metrics, { auc: 0.87 });
    assert.deepEqual(n.primary.attributes.params, { max_depth: '6' });
    assert.equal(n.primary.attributes.startedAt, '2026-11-24T06:18:06.986Z');
    assert.deepEqual(n.primary.tags, [{ tag: 'team', value: 'personalization' }], 'MLflow bookkeeping tags are not labels');
    assert.deepEqual(
      n.dependents.map((d) => [d.type, d.source, d.nativeId, d.lookupKey, d.attributes.location]),
      [['dataset', 'mlflow', 'member_viewing_history@34e4f98a', '1618ddb7', 's3://warehouse/member_viewing_history']],
    );
    assert.deepEqual(
      n.edges.map((e) => [e.predicate, 'nativeId' in e.object ? e.object.nativeId : e.object.email]),
      [
        ['run_of', '1'],
        ['reads', 'member_viewing_history@34e4f98a'],
        ['owned_by', 'alice'],
      ],
    );
  });

  it('when a version comes from get or from search, then both give the same state (aliases are the model’s)', () => {
    const fromGet = normalize('model-instance', VERSION);
    const { aliases: _aliases, ...listed } = VERSION.model_version;
    assert.deepEqual(normalize('model-instance', listed), fromGet);
    assert.equal(fromGet.primary.nativeId, 'm1/1');
    assert.deepEqual(
      fromGet.edges.map((e) => [e.predicate, 'nativeId' in e.object ? e.object.nativeId : '']),
      [
        ['version_of', 'm1'],
        ['produced_by', '1618ddb7'],
      ],
    );
  });
});
