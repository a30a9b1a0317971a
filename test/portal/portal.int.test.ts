import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { thinEvent } from '../../connectors/events';
import { SEED_EXAMPLE } from '../../demo/world/seed-example';
import { createLogger } from '../../platform/logger';
import { buildPortal } from '../../portal/build';
import { openBrowser, signIn } from '../support/browser';
import { runSweep, waitForConvergence } from '../support/convergence';
import { startHarness, type Harness } from '../support/harness';
import { waitFor } from '../support/wait';

const READ = 'mlg-demo-read-token';
const INSTANCE = `/entity/model-instance/registry/${SEED_EXAMPLE.instanceId}`;
const FEATURE_URI = `mlg://feature/featurestore/${SEED_EXAMPLE.featureId}`;

describe('the portal in a real browser', () => {
  let h: Harness;
  let base: string;
  // A no-op until the server is up, so that a failed `before` still closes the harness.
  let close: () => Promise<void> = () => Promise.resolve();
  let browser: Browser;
  let page: Page;
  const api = async (path: string) => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${READ}` } });
    assert.equal(response.status, 200, path);
    return (await response.json()) as any;
  };
  /** Axe's serious and critical violations on the page as it is now, one line each. */
  const accessibilityProblems = async (): Promise<string[]> => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  before(async () => {
    const [harness] = await Promise.all([startHarness({ seed: 11, size: 120 }), buildPortal()]);
    h = harness;
    await h.demo.announce();
    await waitForConvergence(h);
    await runSweep(h);
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    base = `http://127.0.0.1:${server.port}`;
    close = () => server.close();
    browser = await openBrowser();
    page = await (await browser.newContext()).newPage();
    await signIn(page, base, READ);
  });
  after(async () => {
    await browser?.close();
    await close?.();
    await h?.close();
  });

  it('when a wrong token is given, then the portal says so and keeps asking', async () => {
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${base}/`);
    await other.getByLabel('Read token').fill('not-a-token');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('alert').filter({ hasText: 'not known' }).waitFor();
    assert.equal(await other.getByRole('combobox').count(), 0);
    await other.close();
  });

  it('when a person searches with a typo and clicks through, then they go instance → feature → dataset → its pipeline’s runs → the owning team', async () => {
    await page.getByRole('combobox').fill('rankng-model v5');
    const option = page.getByRole('option').filter({ hasText: 'ranking-model v5' }).first();
    await option.waitFor();
    await option.click();
    await page.getByRole('heading', { level: 1, name: 'ranking-model v5' }).waitFor();
    assert.match(page.url(), new RegExp(`${INSTANCE}$`));

    await page.getByRole('region', { name: 'Features' }).getByRole('link', { name: SEED_EXAMPLE.featureId }).click();
    await page.getByRole('heading', { level: 1, name: SEED_EXAMPLE.featureId }).waitFor();

    await page.getByRole('region', { name: 'Source datasets' }).getByRole('link', { name: SEED_EXAMPLE.datasetId }).click();
    await page.getByRole('heading', { level: 1, name: SEED_EXAMPLE.datasetId }).waitFor();
    const columns = await page.getByRole('region', { name: 'Schema' }).getByRole('row').count();
    assert.equal(columns, 1 + 3, 'a header and the three columns of member-viewing-history');

    await page.getByRole('region', { name: 'Downstream consumers' }).getByRole('link', { name: SEED_EXAMPLE.runId }).click();
    await page.getByRole('heading', { level: 1, name: SEED_EXAMPLE.runId }).waitFor();
    await page.getByRole('region', { name: 'Pipeline' }).getByRole('link', { name: SEED_EXAMPLE.pipelineId }).click();
    await page.getByRole('heading', { level: 1, name: SEED_EXAMPLE.pipelineId }).waitFor();
    const runs = page.getByRole('region', { name: 'Runs' });
    await runs.getByRole('link', { name: SEED_EXAMPLE.runId }).waitFor();
    const pipeline = await api(`/v1/entities/pipeline/orchestrator/${SEED_EXAMPLE.pipelineId}`);
    const runCount = pipeline.relationships.filter((r: any) => r.predicate === 'run_of').length;
    assert.equal(await runs.getByRole('row').count(), 1 + Math.min(runCount, 30));

    await page.locator('.entity-header').getByRole('link', { name: 'Personalization' }).click();
    await page.getByRole('heading', { level: 1, name: 'Personalization' }).waitFor();
    await page.getByRole('region', { name: 'Owns' }).getByRole('link', { name: SEED_EXAMPLE.pipelineId }).waitFor();
  });

  it('when the lineage picture is drawn, then it shows the same nodes as the API', async () => {
    const answer = await api(`/v1/entities/model-instance/registry/${SEED_EXAMPLE.instanceId}/lineage?direction=upstream&depth=3`);
    await page.goto(`${base}${INSTANCE}?view=lineage&direction=upstream&depth=3`);
    const canvas = page.locator('.lineage-canvas');
    await canvas.waitFor();
    await page.locator('.react-flow__node').first().waitFor();
    const drawn = await page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-id')));
    const expected = [answer.root, ...answer.nodes.map((n: any) => n.uri)];
    assert.deepEqual(new Set(drawn), new Set(expected));
    assert.ok(expected.includes(FEATURE_URI));
    await page.locator(`.react-flow__node[data-id="${FEATURE_URI}"]`).click();
    await page.getByRole('heading', { level: 1, name: SEED_EXAMPLE.featureId }).waitFor();
  });

  it('when the impact of a feature is asked for, then the people and teams to notify are listed, as the API lists them', async () => {
    const answer = await api(`/v1/entities/feature/featurestore/${SEED_EXAMPLE.featureId}/impact?depth=5`);
    await page.goto(`${base}/entity/feature/featurestore/${SEED_EXAMPLE.featureId}?view=impact`);
    const notify = page.getByRole('region', { name: 'Notify' });
    await notify.getByRole('link').first().waitFor();
    const names = await notify.getByRole('link').allTextContents();
    const expected = [...answer.notify.teams, ...answer.notify.users].map((o: any) => o.name);
    assert.deepEqual(names, expected);
    assert.ok(names.includes('Personalization'));
  });

  it('when the time control is set before a change, then the page shows the state before it', async () => {
    const before = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
    await new Promise((resolve) => setTimeout(resolve, before.getTime() - Date.now() + 1000));
    const feature = h.demo.world.records.features.get(SEED_EXAMPLE.featureId);
    assert.ok(feature);
    const oldDescription = feature.description;
    feature.description = 'Rewritten after the incident.';
    feature.updated_at = new Date().toISOString();
    await h.demo.send([thinEvent('feature_updated', SEED_EXAMPLE.featureId)]);
    await waitFor(
      'the change to land',
      async () => (await api(`/v1/entities/feature/featurestore/${SEED_EXAMPLE.featureId}`)).description !== oldDescription,
    );

    await page.goto(`${base}/entity/feature/featurestore/${SEED_EXAMPLE.featureId}`);
    await page.locator('.description').filter({ hasText: 'Rewritten after the incident.' }).waitFor();
    await page.getByLabel('Graph as of (UTC)').fill(before.toISOString().slice(0, 19));
    await page.locator('.as-of-banner').waitFor();
    await page.locator('.description').filter({ hasText: oldDescription }).waitFor();
    assert.match(page.url(), /asOf=/);
    await page.getByRole('button', { name: 'Back to now' }).click();
    await page.locator('.description').filter({ hasText: 'Rewritten after the incident.' }).waitFor();
  });

  it('when the search, entity and lineage pages are checked by axe, then none has a serious or critical violation', async () => {
    await page.goto(`${base}/search?q=ranking`);
    await page.getByRole('region', { name: 'Results' }).getByRole('link').first().waitFor();
    assert.deepEqual(await accessibilityProblems(), [], 'search page');
    await page.goto(`${base}${INSTANCE}`);
    await page.getByRole('region', { name: 'Relationships' }).waitFor();
    assert.deepEqual(await accessibilityProblems(), [], 'entity page');
    await page.goto(`${base}${INSTANCE}?view=lineage`);
    await page.locator('.react-flow__node').first().waitFor();
    assert.deepEqual(await accessibilityProblems(), [], 'lineage page');
  });

  it('when a model instance is opened, then the instances most like it are suggested as the API ranks them, with their reason', async () => {
    const answer = await api(`/v1/entities/model-instance/registry/${SEED_EXAMPLE.instanceId}/similar?limit=5`);
    assert.ok(answer.similar.length > 0);
    await page.goto(`${base}${INSTANCE}`);
    const panel = page.getByRole('region', { name: 'Similar model instances' });
    await panel.getByRole('link').first().waitFor();
    assert.deepEqual(
      await panel.getByRole('link').allTextContents(),
      answer.similar.map((m: any) => m.name),
    );
    await panel.getByText(answer.similar[0].reason).first().waitFor();
  });

  it("when a team's page is opened, then it lists what the team owns that has quality signals, as the API does", async () => {
    const teamUri = `mlg://team/identity/${SEED_EXAMPLE.teamId}`;
    const answer = await api(`/v1/quality?team=${encodeURIComponent(teamUri)}&limit=50`);
    await page.goto(`${base}/entity/team/identity/${SEED_EXAMPLE.teamId}`);
    const panel = page.getByRole('region', { name: 'Quality of what they own' });
    await panel.getByText(`${answer.total} with signals`).waitFor();
    assert.equal(await panel.getByRole('row').count(), answer.entities.length);
    await page.goto(`${base}${INSTANCE}`);
    await page.locator('.entity-header').getByText('100/100, no signal').waitFor();
  });

  it('when the status page is opened, then it shows every server up and the dead letters', async () => {
    await page.goto(`${base}/status`);
    const servers = page.getByRole('table', { name: 'Servers' });
    await servers.waitFor();
    for (const server of ['postgres', 'elasticsearch', 'kafka', 'temporal'])
      assert.equal(await servers.getByRole('row', { name: new RegExp(`${server} up`) }).count(), 1, server);
    await page.getByText('Dead letters').waitFor();
    const sources = page.getByRole('table', { name: 'Health of each source' });
    await sources.waitFor();
    const answer = await api('/v1/quality/sources');
    assert.equal(await sources.getByRole('row').count(), answer.sources.length + 1, 'a row per source under the header');
    for (const q of answer.sources) await sources.getByRole('row', { name: new RegExp(`^${q.source} `) }).waitFor();
  });
});
