import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { keepRunning, untilDone } from '../../platform/retry';

describe('untilDone', () => {
  it('when a task fails twice and then succeeds, then it resolves with its value and each failure was logged', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    let calls = 0;
    const value = await untilDone(
      'reach the server',
      async () => {
        calls++;
        if (calls < 3) throw new Error(`refused ${calls}`);
        return 'answer';
      },
      { logger, firstMs: 1, maxMs: 5 },
    );
    assert.equal(value, 'answer');
    assert.equal(calls, 3);
    assert.equal(lines.length, 2);
    assert.match(lines[0] ?? '', /reach the server: failed; retrying/);
    assert.match(lines[1] ?? '', /refused 2/);
  });

  it('when the signal aborts while the task keeps failing, then it stops retrying and rejects', async () => {
    const stop = new AbortController();
    let calls = 0;
    const running = untilDone(
      'reach the server',
      async () => {
        calls++;
        if (calls === 3) stop.abort(new Error('shutting down'));
        throw new Error('refused');
      },
      { signal: stop.signal, firstMs: 1, maxMs: 5 },
    );
    await assert.rejects(running);
    const seen = calls;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(calls, seen, 'no attempt after the abort');
  });
});

describe('keepRunning', () => {
  it('when a long-lived part fails, then it is started again with backoff until the signal aborts', async () => {
    const stop = new AbortController();
    let runs = 0;
    await keepRunning(
      'a consumer',
      async () => {
        runs++;
        if (runs === 4) stop.abort();
        throw new Error('broker gone');
      },
      { signal: stop.signal, firstMs: 1, maxMs: 5 },
    );
    assert.equal(runs, 4);
  });
});
