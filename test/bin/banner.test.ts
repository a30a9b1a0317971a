import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { banner } from '../../bin/banner';
import { loadConfig } from '../../platform/config';

describe("npm start's banner", () => {
  it('when the demo runs on default tokens, then it says where the portal, API, docs and Temporal UI are, the tokens, and how to try a query', () => {
    const text = banner({
      config: loadConfig({}),
      api: 'http://127.0.0.1:3000',
      demo: { records: 1780, truthUrl: 'http://127.0.0.1:4100/_admin/truth' },
    });
    assert.match(text, /Portal {7}http:\/\/127\.0\.0\.1:3000\/ /);
    assert.match(text, /API {10}http:\/\/127\.0\.0\.1:3000\/v1 /);
    assert.match(text, /Open {2}http:\/\/127\.0\.0\.1:3000\/entity\/model-instance\/registry\/ranking-model-v5-20XX0101/);
    assert.match(text, /\/docs\//);
    assert.match(text, /OpenLineage {2}http:\/\/127\.0\.0\.1:3000\/api\/v1\/lineage .*mlg\.openlineage/);
    assert.match(text, /Temporal UI {2}http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows/);
    assert.match(text, /read: mlg-demo-read-token {3}admin: mlg-demo-write-token {3}\(demo defaults/);
    assert.match(text, /1,780 source records/);
    assert.match(text, /curl -H 'Authorization: Bearer mlg-demo-read-token'/);
    assert.match(text, /npx mlg status/);
  });

  it('when the tokens are configured and the demo is off, then their names show, never the tokens, and no demo line', () => {
    const config = loadConfig({ MLG_API_TOKENS: 'ci:a-secret-of-sixteen-chars:read', MLG_DEMO: 'off' });
    const text = banner({ config, api: 'http://h:1', demo: null });
    assert.doesNotMatch(text, /Demo|demo defaults|ranking-model|a-secret-of-sixteen-chars/);
    assert.match(text, /Credentials {2}ci \(read\)/);
  });
});
