import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flowOf, layered, NODE_WIDTH } from '../../portal/src/lineage/layout';

const DATASET = 'mlg://dataset/datasets/d';
const FEATURE = 'mlg://feature/featurestore/f';
const INSTANCE = 'mlg://model-instance/registry/i';
const RUN = 'mlg://pipeline-run/orchestrator/r';

describe("the lineage picture's layout", () => {
  it('when edges are drawn, then data flows from upstream to downstream whatever way the predicate points', () => {
    assert.deepEqual(
      [
        flowOf({ subject: FEATURE, predicate: 'derived_from', object: DATASET }),
        flowOf({ subject: INSTANCE, predicate: 'uses_feature', object: FEATURE }),
        flowOf({ subject: RUN, predicate: 'writes', object: DATASET }),
      ].map((e) => [e.source, e.target]),
      [
        [DATASET, FEATURE],
        [FEATURE, INSTANCE],
        [RUN, DATASET],
      ],
    );
  });

  it('when a chain is laid out, then each step is a layer further right and no two nodes overlap', () => {
    const edges = [
      flowOf({ subject: FEATURE, predicate: 'derived_from', object: DATASET }),
      flowOf({ subject: INSTANCE, predicate: 'uses_feature', object: FEATURE }),
      flowOf({ subject: RUN, predicate: 'writes', object: DATASET }),
      flowOf({ subject: 'mlg://feature/featurestore/gone', predicate: 'derived_from', object: DATASET }),
    ];
    const placed = layered([DATASET, FEATURE, INSTANCE, RUN], edges);
    const x = (uri: string) => placed.get(uri)?.x ?? Number.NaN;
    assert.ok(x(RUN) < x(DATASET) && x(DATASET) < x(FEATURE) && x(FEATURE) < x(INSTANCE));
    assert.ok(x(DATASET) - x(RUN) >= NODE_WIDTH);
    assert.equal(placed.size, 4, 'an edge to a node not in the picture adds no node');
  });
});
