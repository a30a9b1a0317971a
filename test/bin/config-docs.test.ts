import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { README, renderReadme } from '../../bin/config-docs';

describe("the README's configuration tables", () => {
  it('when rendered from the settings, then they equal the README (npm run docs:config writes them)', async () => {
    const current = fs.readFileSync(README, 'utf8');
    assert.ok(current === (await renderReadme(current)), 'README.md is out of date: run npm run docs:config');
  });

  it('when a setting is missing from the README, then the check sees it', async () => {
    const current = fs.readFileSync(README, 'utf8');
    const stale = current.replace(/^\| `MLG_NODE_CAP` .*\n/m, '');
    assert.notEqual(stale, current);
    assert.notEqual(await renderReadme(stale), stale);
  });
});
