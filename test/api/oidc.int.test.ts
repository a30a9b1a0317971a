import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import type { Services } from '../../platform/services';
import { migrateToLatest } from '../../store/migrate';
import { API_AUDIENCE, OTHER_AUDIENCE, SHORT_LIVED, signingKey, startTestProvider, type TestProvider } from '../support/oidc-provider';
import { openTestServices } from '../support/services';

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe("the API and an OIDC provider's access tokens", () => {
  let provider: TestProvider;
  let services: Services;
  let base: string;
  let close: () => Promise<void> = () => Promise.resolve();
  const firstKey = signingKey('first-key');

  const ask = async (token: string, path = '/v1/quality/summary', init: RequestInit = {}) => {
    const response = await fetch(`${base}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { detail?: string };
    return { status: response.status, detail: body.detail ?? '' };
  };

  before(async () => {
    provider = await startTestProvider({ keys: [await firstKey] });
    services = await openTestServices({
      MLG_OIDC_ISSUER: provider.issuer,
      MLG_OIDC_AUDIENCE: API_AUDIENCE,
      MLG_OIDC_CLOCK_SKEW_S: '0',
      MLG_API_TOKENS: 'oidc-test-machine:a-static-token-for-oidc-test:read',
    });
    await migrateToLatest(services.db);
    const server = await listen(createApp({ services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
  });
  after(async () => {
    await close();
    await provider.close();
    await services.close();
  });

  it('when a client of each group asks, then its scope decides: read reads, ingest ingests but cannot read, admin does all', async () => {
    assert.equal((await ask(await provider.token('reader'))).status, 200);
    const producer = await provider.token('producer');
    assert.equal((await ask(producer)).status, 403);
    const posted = await ask(producer, '/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ event_type: 'not_an_event_type' }]),
    });
    assert.equal(posted.status, 202);
    const operator = await provider.token('operator');
    assert.equal((await ask(operator)).status, 200);
    const audit = await fetch(`${base}/v1/audit?action=events.post&actor=producer`, { headers: { authorization: `Bearer ${operator}` } });
    const { entries } = (await audit.json()) as { entries: { actorKind: string; outcome: string }[] };
    assert.equal(entries[0]?.actorKind, 'oidc', 'the audit trail names the OIDC subject');
    assert.equal((await ask(await provider.token('nobody'))).status, 403, 'a subject in no mapped group');
    assert.equal((await ask('a-static-token-for-oidc-test')).status, 200, 'static tokens still work beside OIDC');
  });

  it('when a token is for another audience, then it is refused with 401 naming the claim', async () => {
    const refused = await ask(await provider.token('reader', OTHER_AUDIENCE));
    assert.equal(refused.status, 401);
    assert.match(refused.detail, /aud claim/);
  });

  it('when a token comes from another issuer (even with the same keys), then it is refused', async () => {
    const other = await startTestProvider({ keys: [await firstKey] });
    try {
      const refused = await ask(await other.token('reader'));
      assert.equal(refused.status, 401);
      assert.match(refused.detail, /iss claim/);
    } finally {
      await other.close();
    }
  });

  it('when a token is altered, or claims alg none, then it is refused', async () => {
    const [header, payload, signature] = (await provider.token('reader')).split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const altered = await ask(`${header}.${b64({ ...claims, groups: ['mlg-admin'] })}.${signature}`);
    assert.equal(altered.status, 401);
    assert.match(altered.detail, /signature does not verify/);
    const unsigned = await ask(`${b64({ alg: 'none', typ: 'at+jwt' })}.${payload}.`);
    assert.equal(unsigned.status, 401);
  });

  it('when a token has expired, then it is refused', async () => {
    const token = await provider.token('reader', SHORT_LIVED);
    assert.equal((await ask(token)).status, 200);
    await sleep(2_100);
    const refused = await ask(token);
    assert.equal(refused.status, 401);
    assert.match(refused.detail, /expired/);
  });

  it('when the provider rotates its signing key, then new tokens are accepted without a restart and the retired key is refused', async () => {
    const before = await provider.token('reader');
    assert.equal((await ask(before)).status, 200);
    const port = Number(new URL(provider.issuer).port);
    await provider.close();
    provider = await startTestProvider({ port, keys: [await signingKey('second-key')] });
    // The cached key set is fetched again for an unknown key, at most every 5 s.
    await sleep(5_500);
    assert.equal((await ask(await provider.token('reader'))).status, 200);
    const retired = await ask(before);
    assert.equal(retired.status, 401);
  });
});
