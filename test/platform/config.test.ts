import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, LOCAL_DEFAULTS, loadConfig } from '../../platform/config';
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
});
