import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { thinEvent, validateEvent, validateEventJson } from '../../connectors/events';

describe('validateEvent', () => {
  it('when an event names a known type and its id, then it is accepted with its source and entity type', () => {
    const verdict = validateEvent({ event_type: 'model_instance_created', instance_id: 'ranking-model-v5-20XX0101', event_id: 'e1' });
    assert.deepEqual(verdict, {
      ok: true,
      event: {
        eventType: 'model_instance_created',
        source: 'registry',
        entityType: 'model-instance',
        lookupKey: 'ranking-model-v5-20XX0101',
        deletes: false,
        eventId: 'e1',
        emittedAt: null,
      },
    });
  });

  it('when an event announces a deletion, then the catalog says so', () => {
    const verdict = validateEvent(thinEvent('model_instance_deleted', 'ranking-model-v5-20XX0101'));
    assert.ok(verdict.ok && verdict.event.deletes);
  });

  it('when a user event arrives, then its lookup key is the email', () => {
    const verdict = validateEvent(thinEvent('user_updated', 'alice@netflix.com'));
    assert.ok(verdict.ok && verdict.event.lookupKey === 'alice@netflix.com' && verdict.event.entityType === 'user');
  });

  it('when an event is malformed, then it is rejected with a reason that says what is wrong', () => {
    const reason = (raw: unknown) => {
      const verdict = validateEvent(raw);
      assert.equal(verdict.ok, false);
      return verdict.ok ? '' : verdict.reason;
    };
    assert.match(reason([1, 2]), /JSON object/);
    assert.match(reason({ model_id: 'x' }), /event_type/);
    assert.match(reason({ event_type: 'model_melted', model_id: 'x' }), /unknown event_type 'model_melted'/);
    assert.match(reason({ event_type: 'model_created' }), /model_id/);
    assert.match(reason({ event_type: 'model_created', model_id: '  ' }), /model_id/);
    assert.match(reason({ event_type: 'model_created', model_id: 'x', emitted_at: 'noon' }), /emitted_at/);
    assert.match(reason({ event_type: 'model_created', model_id: 'a\u0000b' }), /model_id holds the NUL character/);
    assert.match(reason({ event_type: 'model_created', model_id: 'x', event_id: 'half \ud800' }), /event_id holds/);
    const invalidJson = validateEventJson('{"event_type":');
    assert.ok(!invalidJson.ok && /not JSON/.test(invalidJson.reason));
  });
});
