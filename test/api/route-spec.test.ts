import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { answer, answerMismatch, route } from '../../api/route-spec';

const thing = z.object({ uri: z.string(), count: z.number().int() });

describe('route declarations', () => {
  it('when a handler answers, then its body must fit the schema declared for that status (checked by the compiler)', async () => {
    const declared = route({
      method: 'get',
      path: '/things',
      tag: 'test',
      scope: 'read',
      summary: 'A thing',
      responses: { 200: { description: 'The thing', schema: thing } },
      handler: async () => answer(200, { uri: 'mlg://dataset/datasets/a', count: 1 }),
    });
    route({
      method: 'get',
      path: '/things',
      tag: 'test',
      scope: 'read',
      summary: 'A thing with a body of the wrong shape',
      responses: { 200: { description: 'The thing', schema: thing } },
      // @ts-expect-error -- count must be a number: `tsc --noEmit` (part of `npm test`) fails if this compiles
      handler: async () => answer(200, { uri: 'mlg://dataset/datasets/a', count: 'one' }),
    });
    route({
      method: 'get',
      path: '/things',
      tag: 'test',
      scope: 'read',
      summary: 'A thing answered with an undeclared status',
      responses: { 200: { description: 'The thing', schema: thing } },
      // @ts-expect-error -- 201 is not a declared status
      handler: async () => answer(201, { uri: 'mlg://dataset/datasets/a', count: 1 }),
    });
    const result = await declared.handler({ params: {}, query: {}, body: undefined, req: {} as never });
    assert.deepEqual(result, { status: 200, body: { uri: 'mlg://dataset/datasets/a', count: 1 } });
  });

  describe('the answer check (MLG_CHECK_ANSWERS, on in the tests)', () => {
    const nested = z.object({ uri: z.string(), at: z.string(), parts: z.array(z.object({ name: z.string() })) });
    const spec = route({
      method: 'get',
      path: '/things/{id}',
      tag: 'test',
      scope: 'read',
      summary: 'A thing',
      responses: { 200: { description: 'The thing', schema: nested } },
      handler: async () => answer(200, { uri: 'u', at: '2026-01-01T00:00:00.000Z', parts: [] }),
    });

    it('when an answer has exactly the declared fields (a Date sent as its ISO text), then it passes', () => {
      assert.equal(answerMismatch(spec, 200, { at: new Date('2026-01-01T00:00:00Z'), uri: 'u', parts: [{ name: 'a' }] }), null);
    });

    it('when an answer lacks a field or mistypes one, then the check names it', () => {
      assert.match(answerMismatch(spec, 200, { uri: 'u', parts: [] }) ?? '', /at: /);
      assert.match(answerMismatch(spec, 200, { uri: 'u', at: 'x', parts: [{ name: 1 }] }) ?? '', /parts\.0\.name/);
    });

    it('when an answer carries a field its schema does not declare, even nested, then the check says so', () => {
      assert.match(answerMismatch(spec, 200, { uri: 'u', at: 'x', parts: [], extra: 1 }) ?? '', /does not declare/);
      assert.match(answerMismatch(spec, 200, { uri: 'u', at: 'x', parts: [{ name: 'a', extra: true }] }) ?? '', /does not declare/);
    });

    it('when a status is not declared, then the check says so', () => {
      assert.match(answerMismatch(spec, 201, {}) ?? '', /does not declare/);
    });
  });
});
