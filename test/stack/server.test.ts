import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROFILES } from '../../stack/profiles';
import { localServers } from '../../stack/server';

describe('localServers', () => {
  it('when no server is pointed elsewhere, then all four run locally', () => {
    assert.deepEqual(localServers({}), ['postgres', 'elasticsearch', 'kafka', 'temporal']);
  });

  it('when some servers are pointed elsewhere, then only the others run locally', () => {
    assert.deepEqual(localServers({ DATABASE_URL: 'postgres://db/mlg', TEMPORAL_ADDRESS: 'temporal:7233' }), ['elasticsearch', 'kafka']);
  });
});

describe('profiles', () => {
  it('then the test profile shares no port with the dev profile', () => {
    const ports = (profile: (typeof PROFILES)['dev']) =>
      Object.entries(profile)
        .filter(([key]) => key.endsWith('Port'))
        .map(([, value]) => value as number);
    const dev = new Set(ports(PROFILES.dev));
    assert.equal(ports(PROFILES.test).filter((port) => dev.has(port)).length, 0);
    assert.notEqual(PROFILES.dev.temporalNamespace, PROFILES.test.temporalNamespace);
  });
});
