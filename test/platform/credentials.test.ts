import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { apiCredentialsProblem, DEMO_MLFLOW_WEBHOOK_SECRET, demoTokensInUse, loadConfig } from '../../platform/config';
import { isLoopback, parseTokenEntry, parseTokenList, sha256Hex } from '../../platform/credentials';
import { grants } from '../../platform/scopes';

const SECRET = 'a-token-of-twenty-chars';

describe('static API tokens', () => {
  it('when an entry is name:token:scope, then it keeps the name, the scope and only the SHA-256 of the token', () => {
    assert.deepEqual(parseTokenEntry(`ci:${SECRET}:ingest`, 0), { name: 'ci', sha256: sha256Hex(SECRET), scope: 'ingest' });
  });

  it('when an entry gives the SHA-256 only, then that digest is the token', () => {
    const digest = sha256Hex(SECRET);
    assert.deepEqual(parseTokenEntry(`ops:sha256:${digest.toUpperCase()}:admin`, 0), { name: 'ops', sha256: digest, scope: 'admin' });
  });

  it("when an entry is today's token:read or token:write, then it is named token-<n>, and write is admin", () => {
    assert.deepEqual(parseTokenEntry('old-reader:read', 1), { name: 'token-2', sha256: sha256Hex('old-reader'), scope: 'read' });
    assert.deepEqual(parseTokenEntry('old-writer-1:write', 0), { name: 'token-1', sha256: sha256Hex('old-writer-1'), scope: 'admin' });
  });

  it('when entries are bad, then the error names each entry and never carries the token', () => {
    assert.throws(
      () => parseTokenList(`a:${SECRET}:write,b:short:read,c:sha256:abc:read`),
      (error: Error) =>
        /entry 1 \(a\): the scope must be read, ingest or admin/.test(error.message) &&
        /entry 2 \(b\): the token must be 16/.test(error.message) &&
        /entry 3 \(c\): a sha256 must be 64/.test(error.message) &&
        !error.message.includes(SECRET),
    );
    assert.throws(() => parseTokenList(`a:${SECRET}:read\na:${SECRET}x:admin`), /names must be unique: a/);
  });

  it('when a file lists entries with comments and blank lines, then only the entries count', () => {
    assert.deepEqual(
      parseTokenList(`# producers\n\nci:${SECRET}:ingest\n`).map((t) => t.name),
      ['ci'],
    );
  });

  it('then admin implies read and ingest, and ingest does not imply read', () => {
    assert.ok(grants(['admin'], 'read') && grants(['admin'], 'ingest') && grants(['admin'], 'admin'));
    assert.ok(grants(['ingest'], 'ingest') && !grants(['ingest'], 'read') && !grants(['ingest'], 'admin'));
    assert.ok(grants(['read'], 'read') && !grants(['read'], 'ingest'));
  });

  it('then loopback is 127.0.0.0/8, ::1 and localhost, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost']) assert.ok(isLoopback(host), host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'api.internal', '127.0.0.1.evil.com']) assert.ok(!isLoopback(host), host);
  });
});

describe('no well-known secret off loopback', () => {
  it('when nothing is configured on loopback with the demo on, then the demo tokens are accepted', () => {
    const config = loadConfig({});
    assert.ok(demoTokensInUse(config));
    assert.equal(apiCredentialsProblem(config), null);
  });

  it('when nothing is configured and the API listens beyond loopback, or the demo is off, then the API refuses to start, naming what to set', () => {
    for (const env of [{ HOST: '0.0.0.0' }, { MLG_DEMO: 'off' }, { HOST: '10.1.2.3', MLG_DEMO: 'off' }]) {
      const config = loadConfig(env);
      assert.ok(!demoTokensInUse(config));
      assert.match(apiCredentialsProblem(config) ?? '', /set MLG_API_TOKENS .*MLG_API_TOKENS_FILE or MLG_OIDC_ISSUER/);
    }
  });

  it('when a configured token or the MLflow webhook secret is the README one and the API listens beyond loopback, then it refuses', () => {
    assert.match(
      apiCredentialsProblem(loadConfig({ HOST: '0.0.0.0', MLG_API_TOKENS: 'mine:mlg-demo-write-token:admin' })) ?? '',
      /gives mine a token published in the README/,
    );
    assert.match(
      apiCredentialsProblem(
        loadConfig({ HOST: '0.0.0.0', MLG_API_TOKENS: `mine:${SECRET}:admin`, MLG_MLFLOW_WEBHOOK_SECRET: DEMO_MLFLOW_WEBHOOK_SECRET }),
      ) ?? '',
      /MLG_MLFLOW_WEBHOOK_SECRET is the one published/,
    );
    assert.equal(apiCredentialsProblem(loadConfig({ HOST: '0.0.0.0', MLG_API_TOKENS: `mine:${SECRET}:admin` })), null);
  });

  it('when OIDC is configured without an audience, then it refuses', () => {
    assert.match(apiCredentialsProblem(loadConfig({ MLG_OIDC_ISSUER: 'https://idp.example.com/realms/x' })) ?? '', /MLG_OIDC_AUDIENCE/);
  });

  it('when npm start is given HOST=0.0.0.0 and no credentials, then it stops before starting anything, naming what to set', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/start.ts'], {
      // Every server points elsewhere: were the check missing, nothing local would start either.
      env: {
        PATH: process.env.PATH,
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        ELASTICSEARCH_URL: 'http://127.0.0.1:1',
        KAFKA_BROKERS: '127.0.0.1:1',
        TEMPORAL_ADDRESS: '127.0.0.1:1',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /the API has no credentials for HOST=0\.0\.0\.0: set MLG_API_TOKENS/);
  });
});
