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
  it('then no two profiles share a port or a Temporal namespace', () => {
    const ports = (profile: (typeof PROFILES)['dev']) =>
      Object.entries(profile)
        .filter(([key]) => key.endsWith('Port'))
        .map(([, value]) => value as number);
    const profiles = Object.values(PROFILES);
    for (const a of profiles)
      for (const b of profiles.filter((p) => p !== a)) {
        const taken = new Set(ports(a));
        assert.deepEqual(
          ports(b).filter((port) => taken.has(port)),
          [],
          `${a.name} and ${b.name}`,
        );
        assert.notEqual(a.temporalNamespace, b.temporalNamespace);
      }
  });
});
