import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { answer, route } from '../../api/route-spec';

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
});
