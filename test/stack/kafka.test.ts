import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newClusterId } from '../../stack/kafka';

describe('newClusterId', () => {
  it('when the random bytes encode to a leading "-", then it draws again (the storage tool would read it as a flag)', () => {
    const draws = [Buffer.from('fb' + '00'.repeat(15), 'hex'), Buffer.from('01'.repeat(16), 'hex')];
    assert.ok(draws[0]!.toString('base64url').startsWith('-'));
    const id = newClusterId(() => draws.shift()!);
    assert.equal(id, Buffer.from('01'.repeat(16), 'hex').toString('base64url').slice(0, 22));
    assert.equal(draws.length, 0);
  });

  it('then it is 22 base64url characters, as Kafka expects', () => {
    assert.match(newClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
