import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createLogger } from '../../platform/logger';
import type { Services } from '../../platform/services';
import { buildPortal } from '../../portal/build';
import { migrateToLatest } from '../../store/migrate';
import { openBrowser } from '../support/browser';
import { API_AUDIENCE, freePort, PORTAL_CLIENT, signingKey, startTestProvider, type TestProvider } from '../support/oidc-provider';
import { openTestServices } from '../support/services';

describe("the portal's sign-in with an OIDC provider, in a real browser", () => {
  let provider: TestProvider;
  let services: Services;
  let base: string;
  let browser: Browser;
  let close: () => Promise<void> = () => Promise.resolve();

  /** Signs in at the provider's own login and consent pages, as a person would. */
  const signInAs = async (person: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/status`);
    await page.getByRole('link', { name: 'Sign in with your organization' }).click();
    await page.locator('input[name=login]').fill(person);
    await page.locator('input[name=password]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${base}/status`);
    return { context, page };
  };
  const sessionCookie = async (context: BrowserContext) => (await context.cookies(base)).find((c) => c.name === 'mlg_session');

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    provider = await startTestProvider({ keys: [await signingKey('portal-key')], portal: base });
    services = await openTestServices({
      MLG_OIDC_ISSUER: provider.issuer,
      MLG_OIDC_AUDIENCE: API_AUDIENCE,
      MLG_OIDC_RESOURCE: API_AUDIENCE,
      MLG_OIDC_CLIENT_ID: PORTAL_CLIENT,
      MLG_OIDC_SCOPES: 'openid email profile',
      MLG_SESSION_SECRET: 'a-session-secret-of-the-sign-in-test-0001',
      MLG_OIDC_CLOCK_SKEW_S: '0',
    });
    await Promise.all([migrateToLatest(services.db), buildPortal()]);
    const server = await listen(createApp({ services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', port);
    close = () => server.close();
    browser = await openBrowser();
  });
  after(async () => {
    await browser?.close();
    await close();
    await provider?.close();
    await services?.close();
  });

  it('when a person with the read group signs in, then pages load, the session is refreshed and an HttpOnly cookie holds it, and sign-out ends it', async () => {
    const { context, page } = await signInAs('alice');
    await page.getByRole('heading', { name: 'Status' }).waitFor();
    const first = await sessionCookie(context);
    assert.ok(first, 'a session cookie');
    assert.equal(first.httpOnly, true);
    assert.equal(first.sameSite, 'Lax');
    assert.equal(first.secure, false, 'plain HTTP on loopback: Secure only over TLS');
    // The access token lives 5 s: past it, a page view refreshes it with the refresh token.
    await sleep(6_000);
    await page.goto(`${base}/status`);
    await page.getByRole('heading', { name: 'Status' }).waitFor();
    const refreshed = await sessionCookie(context);
    assert.ok(refreshed && refreshed.value !== first.value, 'the session was refreshed');
    const who = await page.evaluate(async () => (await fetch('/auth/session')).json());
    assert.deepEqual(who, { signedIn: true, subject: 'alice', scopes: ['read'] });
    await page.getByRole('link', { name: /Sign out alice/ }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('link', { name: 'Sign in with your organization' }).waitFor();
    assert.equal(await sessionCookie(context), undefined, 'the cookie is gone');
    await context.close();
  });

  it('when a person without the read group signs in, then the portal says they have no access, and the API answers 403', async () => {
    const { context, page } = await signInAs('mallory');
    await page.getByRole('heading', { name: 'No access' }).waitFor();
    const search = await page.evaluate(async () => (await fetch('/v1/search?q=x')).status);
    assert.equal(search, 403);
    await context.close();
  });

  it('when a session cookie comes with a write, then it does not authorize it (no cross-site request forgery)', async () => {
    const { context, page } = await signInAs('alice');
    const status = await page.evaluate(
      async () => (await fetch('/v1/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })).status,
    );
    assert.equal(status, 401);
    await context.close();
  });
});
