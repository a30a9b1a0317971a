import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameSimilarity } from '../../graph/duplicates';

describe('name similarity', () => {
  it('when two names differ only in case and separators, then they are the same name', () => {
    assert.equal(nameSimilarity('days-since-last-play', 'DAYS_SINCE_LAST_PLAY'), 1);
  });
  it('when one letter differs, then they are alike but not the same', () => {
    const s = nameSimilarity('user_age_days', 'user_age_day');
    assert.ok(s > 0.9 && s < 1, String(s));
  });
  it('when the names are unrelated, then they are far apart', () => {
    assert.ok(nameSimilarity('churn-model', 'ranking-scores') < 0.5);
  });
});
