import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { impactCsv } from '../../portal/src/impact-csv';

describe("the impact's CSV export", () => {
  it('when names hold commas and quotes, then each entity is one row with its owners and teams, quoted as RFC 4180 says', () => {
    const csv = impactCsv({
      root: 'mlg://feature/featurestore/f',
      depth: 3,
      total: 1,
      truncated: false,
      notify: { users: [], teams: [] },
      groups: [
        {
          type: 'model-instance',
          count: 1,
          entities: [
            {
              uri: 'mlg://model-instance/registry/m%2C1',
              type: 'model-instance',
              name: 'ranking "v5", staged',
              distance: 1,
              owners: ['mlg://user/identity/alice', 'mlg://user/identity/bob'],
              teams: ['mlg://team/identity/personalization'],
            },
          ],
        },
      ],
    });
    assert.equal(
      csv,
      'type,name,uri,distance,owners,teams\n' +
        'model-instance,"ranking ""v5"", staged",mlg://model-instance/registry/m%2C1,1,alice bob,personalization\n',
    );
  });
});
