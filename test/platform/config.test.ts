import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, LOCAL_DEFAULTS, LOCAL_STACK_SETTINGS, loadConfig, SETTINGS } from '../../platform/config';
import { settingsOf } from '../../platform/settings';
import { PROFILES, profileEnv } from '../../stack/profiles';

describe('loadConfig', () => {
  it('when nothing is set, then it points at the local stack of the dev profile', () => {
    const config = loadConfig({});
    const dev = profileEnv(PROFILES.dev);
    assert.equal(config.postgres.url, dev.DATABASE_URL);
    assert.equal(config.elasticsearch.url, dev.ELASTICSEARCH_URL);
    assert.deepEqual(config.kafka.brokers, [dev.KAFKA_BROKERS]);
    assert.equal(config.temporal.address, dev.TEMPORAL_ADDRESS);
    assert.equal(config.api.port, 3000);
    assert.deepEqual({ ...LOCAL_DEFAULTS }, dev, 'the defaults of the service are where the dev profile runs its servers');
  });

  it('when KAFKA_BROKERS lists several brokers, then each becomes one entry', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092' });
    assert.deepEqual(config.kafka.brokers, ['kafka-1:9092', 'kafka-2:9092']);
  });

  it('when a value is bad, then the error names the variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (error: unknown) => error instanceof ConfigError && /PORT/.test(error.message),
    );
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x/y' }), /DATABASE_URL/);
    assert.throws(() => loadConfig({ KAFKA_BROKERS: 'no-port' }), /KAFKA_BROKERS/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
  });

  it('when several values are bad, then every one is named', () => {
    assert.throws(
      () => loadConfig({ PORT: '-1', ELASTICSEARCH_URL: 'nope' }),
      (error: unknown) => {
        const message = (error as Error).message;
        return message.includes('PORT') && message.includes('ELASTICSEARCH_URL');
      },
    );
  });

  it('then the config is frozen', () => {
    const config = loadConfig({});
    assert.throws(() => {
      (config.api as { port: number }).port = 1;
    }, TypeError);
  });

  it('when an MLG_ variable is declared by no setting, then loading fails naming it and the nearest declared name', () => {
    assert.throws(
      () => loadConfig({ MLG_DEBOUNSE_MS: '5', MLG_NO_SUCH_THING_AT_ALL: '1' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.message.includes('MLG_DEBOUNSE_MS (did you mean MLG_DEBOUNCE_MS?)') &&
        /MLG_NO_SUCH_THING_AT_ALL$/m.test(error.message),
    );
  });

  it('when a secret is given as a file, then its value is read from it, and a problem never shows the secret', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-secret-'));
    const file = path.join(dir, 'session');
    const secret = 'a-session-secret-from-a-mounted-file-0123';
    fs.writeFileSync(file, `${secret}\n`);
    assert.equal(loadConfig({ MLG_SESSION_SECRET_FILE: file }).oidc.sessionSecret, secret);
    const refused = (env: NodeJS.ProcessEnv, pattern: RegExp) =>
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message) && !error.message.includes(secret),
      );
    refused(
      { MLG_SESSION_SECRET_FILE: file, MLG_SESSION_SECRET: secret },
      /MLG_SESSION_SECRET: set it or MLG_SESSION_SECRET_FILE, not both/,
    );
    refused({ MLG_SESSION_SECRET_FILE: path.join(dir, 'missing') }, /MLG_SESSION_SECRET_FILE: .*missing cannot be read \(ENOENT\)/);
    fs.writeFileSync(file, 'short\n');
    refused({ MLG_SESSION_SECRET_FILE: file }, /MLG_SESSION_SECRET: must be at least 32 characters/);
    fs.rmSync(dir, { recursive: true });
  });

  it("when the local stack's variables are set, then the service's configuration accepts them", () => {
    const config = loadConfig({ MLG_KEEP_STACK: '1', MLG_CACHE_DIR: '/tmp/x', MLG_TEMPORAL_SHARDS: '8' });
    assert.equal(config.api.port, 3000);
  });

  it('when an empty value is given, then the setting counts as unset', () => {
    assert.equal(loadConfig({ MLG_SOURCE_MLFLOW_URL: '' }).sources.mlflow.url, null);
    assert.equal(loadConfig({ PORT: '' }).api.port, 3000);
  });

  it('then every variable is declared once, and every declared default is valid', () => {
    const names = settingsOf(SETTINGS, LOCAL_STACK_SETTINGS).map((s) => s.env);
    assert.deepEqual(names, [...new Set(names)]);
    for (const s of settingsOf(SETTINGS, LOCAL_STACK_SETTINGS))
      if (s.default !== undefined) assert.ok(s.schema.safeParse(s.default).success, `${s.env}: its default ${s.default} is invalid`);
  });

  it('when a start-up entry point is given a misspelled MLG_ variable, then it stops before connecting, saying what was meant', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bin/migrate.ts'], {
      env: { PATH: process.env.PATH, MLG_NODE_CAPP: '10', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /MLG_NODE_CAPP \(did you mean MLG_NODE_CAP\?\)/);
  });
});
