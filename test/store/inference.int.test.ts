import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RULES } from '../../domain/rules';
import { inferAround } from '../../store/inference';
import { waitForConvergence } from '../support/convergence';
import { startHarness } from '../support/harness';

const INSTANCE = 'mlg://model-instance/registry/ranking-model-v5-20XX0101';
const TEST = 'mlg://ab-test/experiments/12345';

describe('inference around touched entities', () => {
  it('when the same entities are evaluated twice with nothing changed, then the second evaluation writes nothing', async () => {
    const h = await startHarness({ seed: 62, size: 40 });
    try {
      await h.demo.announce();
      await waitForConvergence(h);
      const touched = (await h.services.db.selectFrom('entities').select('uri').execute()).map((row) => row.uri);
      assert.ok(touched.includes(INSTANCE) && touched.includes(TEST));
      const first = await inferAround(h.services.db, RULES, touched, 'mlg', null);
      assert.ok(first.asserted > 0, 'the first evaluation infers the edges');
      // The stored support comes back from jsonb with its keys in another order: it must still compare equal.
      const second = await inferAround(h.services.db, RULES, touched, 'mlg', null);
      assert.deepEqual(second, { asserted: 0, retracted: 0, affected: [] });
    } finally {
      await h.close();
    }
  });
});
