import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SIGNAL_CODES, signalCode } from '../../domain/quality';

describe('quality signal codes', () => {
  it('when a stored code is one this version knows, then it is that code', () => {
    for (const code of SIGNAL_CODES) assert.equal(signalCode(code), code);
  });

  it('when a stored code is unknown (a typo in a rule, another version), then reading it fails naming it', () => {
    assert.throws(() => signalCode('no-ownr'), /unknown quality signal code 'no-ownr'/);
    assert.throws(() => signalCode('toString'), /unknown quality signal code/);
  });
});
