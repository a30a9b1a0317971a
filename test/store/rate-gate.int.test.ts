import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../platform/errors';
import { createDatabase, type Db } from '../../store/database';
import { migrateToLatest } from '../../store/migrate';
import { RateGate } from '../../store/rate-gate';
import { testConfig, uniqueName } from '../support/services';

describe('the rate gate', () => {
  let db: Db;
  before(async () => {
    db = createDatabase(testConfig().postgres, { max: 12 });
    await migrateToLatest(db);
  });
  after(async () => {
    await db.destroy();
  });

  const slotsOf = async (source: string): Promise<number[]> =>
    (await db.selectFrom('source_calls').select('at').where('source', '=', source).orderBy('at').execute()).map((r) => r.at.getTime());

  it('when many callers ask at once, then their slots are window ÷ limit apart, so no window holds more than the limit', async () => {
    const source = uniqueName('gate');
    const gate = new RateGate(db, { [source]: 10 }, { marginMs: 100 });
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 4; i++) await gate.acquire(source);
      }),
    );
    const slots = await slotsOf(source);
    // 32 calls went out; a caller that woke too late on a busy machine gave its slot up and took another,
    // and the slot given up stays recorded (it only makes the gate more careful).
    assert.ok(slots.length >= 32, `${slots.length} slots for 32 calls`);
    // 1,100 ms ÷ 10 calls: each slot at least 110 ms after the one before (the database keeps microseconds).
    for (let i = 1; i < slots.length; i++) assert.ok((slots[i] as number) - (slots[i - 1] as number) >= 109, `slots ${i - 1} and ${i}`);
    for (let i = 10; i < slots.length; i++) assert.ok((slots[i] as number) - (slots[i - 10] as number) >= 1099);
  });

  it('when the next slot is further away than a caller may wait, then it is refused with the time to wait, and no slot is taken', async () => {
    const source = uniqueName('gate');
    const patient = new RateGate(db, { [source]: 2 });
    const hasty = new RateGate(db, { [source]: 2 }, { maxWaitMs: 100 });
    await patient.acquire(source);
    await assert.rejects(
      () => hasty.acquire(source),
      (error: unknown) => error instanceof AppError && error.code === 'SOURCE_RATE_LIMITED' && (error.retryAfterMs ?? 0) > 100,
    );
    assert.equal((await slotsOf(source)).length, 1);
  });
});
