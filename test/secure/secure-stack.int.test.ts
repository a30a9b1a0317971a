import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { createProducer, pingKafka, topicMessageCount } from '../../bus/kafka';
import { createLogger } from '../../platform/logger';
import { connectionAdvice, withoutTls, type ServerName } from '../../platform/server-security';
import { pingElasticsearch, createSearchClient } from '../../search/client';
import { createDatabase, pingPostgres } from '../../store/database';
import { certificateAuthority } from '../../stack/certificates';
import { connectTemporal, pingTemporal } from '../../temporal/connection';
import { waitForConvergence } from '../support/convergence';
import { waitFor } from '../support/wait';
import type { Harness } from '../support/harness';
import { testConfig, uniqueName } from '../support/services';

const READER = 'secure-suite-reader-token-0123456789';

/** What the service would say to fix, for an error met with these settings. */
const adviceFor = (server: ServerName, env: NodeJS.ProcessEnv, error: unknown): string =>
  connectionAdvice(server, error, withoutTls(server, testConfig(env))) ?? `(no advice for: ${String(error)})`;

/**
 * The secure profile: PostgreSQL with hostssl and scram-sha-256 only, Kafka with a SASL_SSL (SCRAM)
 * listener only, Elasticsearch behind TLS with an API key, Temporal's frontend with mTLS. The service
 * is configured by the profile (test/run.ts) as a deployment would be: verify-full, SCRAM over TLS,
 * an API key, a client certificate, every secret from a file.
 */
describe('the secure profile: servers that take only TLS with credentials', () => {
  let h: Harness;
  let otherCa = '';
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-other-ca-'));

  before(async () => {
    const { startHarness } = await import('../support/harness');
    // Logging everything, so that the last test has much to search for secrets.
    h = await startHarness({ seed: 23, size: 60, env: { MLG_API_TOKENS: `secure-reader:${READER}:read`, LOG_LEVEL: 'debug' } });
    // A CA of another organization: its certificates must not be trusted.
    otherCa = (await certificateAuthority(scratch)).ca;
  });
  after(async () => {
    await h.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("when the demo's events come over SASL_SSL, then the graph converges through mTLS, verify-full and the API key, and the API answers lineage and search", async () => {
    await h.demo.announce();
    await waitForConvergence(h, { timeoutMs: 180_000 });
    const server = await listen(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }), '127.0.0.1', 0);
    try {
      const [instance] = h.demo.world.records.instances.keys();
      assert.ok(instance, 'the world has a model instance');
      const get = async (route: string) => {
        const response = await fetch(`http://127.0.0.1:${server.port}${route}`, { headers: { authorization: `Bearer ${READER}` } });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const lineage = await get(`/v1/entities/model-instance/registry/${encodeURIComponent(instance)}/lineage?depth=3`);
      assert.equal(lineage.status, 200);
      assert.ok((lineage.body.nodes as unknown[]).length > 1, 'the lineage reaches beyond the instance');
      // The graph converges in PostgreSQL first; its search document follows within a refresh or two.
      await waitFor(
        'the instance to be searchable',
        async () => {
          const search = await get(`/v1/search?q=${encodeURIComponent(instance)}&type=model-instance`);
          assert.equal(search.status, 200);
          return (search.body.hits as { uri: string }[]).some((hit) => hit.uri.endsWith(`/${encodeURIComponent(instance)}`));
        },
        { timeoutMs: 30_000 },
      );
    } finally {
      await server.close();
    }
  });

  it('when PostgreSQL is reached with a wrong CA, a wrong password or in plaintext, then each fails naming the setting, and nothing is written', async () => {
    const attempts: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MLG_POSTGRES_CA_FILE: otherCa }, /MLG_POSTGRES_CA_FILE/],
      [{ MLG_POSTGRES_PASSWORD: 'not-the-password', MLG_POSTGRES_PASSWORD_FILE: '' }, /MLG_POSTGRES_PASSWORD/],
      [{ MLG_POSTGRES_SSLMODE: 'disable', MLG_POSTGRES_CA_FILE: '' }, /MLG_POSTGRES_SSLMODE/],
    ];
    const table = uniqueName('secure_probe').replace(/-/g, '_');
    for (const [env, setting] of attempts) {
      const db = createDatabase(testConfig(env).postgres, { max: 1 });
      try {
        const error = await sql`create table ${sql.id(table)} (x int)`.execute(db).then(
          () => null,
          (e: unknown) => e,
        );
        assert.ok(error, `${JSON.stringify(env)} must fail`);
        assert.match(adviceFor('postgres', env, error), setting);
      } finally {
        await db.destroy();
      }
    }
    const good = createDatabase(testConfig().postgres, { max: 1 });
    try {
      await pingPostgres(good);
      const found = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = ${table}`.execute(
        good,
      );
      assert.equal(found.rows[0]?.n, 0, 'no table was created');
    } finally {
      await good.destroy();
    }
  });

  it('when Kafka is reached with a wrong CA, a wrong password or in plaintext, then each fails naming the setting, and nothing is written', async () => {
    const topic = h.services.config.kafka.eventsTopic;
    const before = await topicMessageCount(h.services.config.kafka, topic);
    const attempts: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MLG_KAFKA_CA_FILE: otherCa }, /MLG_KAFKA_CA_FILE/],
      [{ MLG_KAFKA_PASSWORD: 'not-the-password', MLG_KAFKA_PASSWORD_FILE: '' }, /MLG_KAFKA_PASSWORD/],
      [{ MLG_KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', MLG_KAFKA_CA_FILE: '' }, /MLG_KAFKA_SECURITY_PROTOCOL/],
    ];
    for (const [env, setting] of attempts) {
      const kafka = testConfig(env).kafka;
      const error = await pingKafka(kafka, 5_000).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error, `${JSON.stringify(env)} must fail`);
      assert.match(adviceFor('kafka', env, error), setting);
      // A producer with these settings writes nothing either (it keeps retrying: it is given 5 seconds).
      const producer = createProducer(kafka, 'secure-probe');
      const message = { topic, key: 'probe', value: JSON.stringify({ event_type: 'model_created', model_id: 'probe' }) };
      await Promise.race([
        producer.send({ messages: [message] }).catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
      ]);
      await producer.close(true).catch(() => undefined);
    }
    assert.equal(await topicMessageCount(h.services.config.kafka, topic), before, 'no message was written');
  });

  it('when Elasticsearch is reached with a wrong CA, a wrong API key or in plaintext, then each fails naming the setting, and nothing is written', async () => {
    const { url } = testConfig().elasticsearch;
    const attempts: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MLG_ELASTICSEARCH_CA_FILE: otherCa }, /MLG_ELASTICSEARCH_CA_FILE/],
      [{ MLG_ELASTICSEARCH_API_KEY: 'bm90LXRoZS1rZXk=', MLG_ELASTICSEARCH_API_KEY_FILE: '' }, /MLG_ELASTICSEARCH_API_KEY/],
      [{ ELASTICSEARCH_URL: url.replace('https:', 'http:'), MLG_ELASTICSEARCH_CA_FILE: '' }, /ELASTICSEARCH_URL/],
    ];
    const index = uniqueName('secure-probe');
    for (const [env, setting] of attempts) {
      const client = createSearchClient(testConfig(env).elasticsearch);
      try {
        const error = await client.index({ index, document: { probe: true } }, { maxRetries: 0 }).then(
          () => null,
          (e: unknown) => e,
        );
        assert.ok(error, `${JSON.stringify(env)} must fail`);
        assert.match(adviceFor('elasticsearch', env, error), setting);
      } finally {
        await client.close();
      }
    }
    await pingElasticsearch(h.services.search);
    assert.equal(await h.services.search.indices.exists({ index }), false, 'no index was created');
  });

  it("when Temporal's frontend is reached with a wrong CA, without a client certificate or in plaintext, then each fails naming the setting, and nothing is started", async () => {
    const attempts: [NodeJS.ProcessEnv, RegExp][] = [
      [{ MLG_TEMPORAL_CA_FILE: otherCa }, /MLG_TEMPORAL_CA_FILE/],
      [{ MLG_TEMPORAL_CERT_FILE: '', MLG_TEMPORAL_KEY_FILE: '' }, /MLG_TEMPORAL_CERT_FILE/],
      [
        {
          MLG_TEMPORAL_CERT_FILE: '',
          MLG_TEMPORAL_KEY_FILE: '',
          MLG_TEMPORAL_CA_FILE: '',
          MLG_TEMPORAL_TLS: 'off',
          MLG_TEMPORAL_SERVER_NAME: '',
        },
        /MLG_TEMPORAL_TLS/,
      ],
    ];
    const workflowId = uniqueName('secure-probe');
    for (const [env, setting] of attempts) {
      const config = testConfig(env);
      const temporal = connectTemporal(config);
      try {
        const error = await temporal.client.workflow
          .start('secureProbe', { taskQueue: config.temporal.taskQueue, workflowId, args: [] })
          .then(
            () => null,
            (e: unknown) => e,
          );
        assert.ok(error, `${JSON.stringify(env)} must fail`);
        assert.match(adviceFor('temporal', env, error), setting);
      } finally {
        await temporal.connection.close();
      }
    }
    await pingTemporal(h.services.temporal, h.services.config.temporal.namespace, 5_000);
    const started = await h.services.temporal.client.workflow
      .getHandle(workflowId)
      .describe()
      .then(
        () => true,
        () => false,
      );
    assert.equal(started, false, 'no workflow was started');
  });

  it("when the suite's service log is read, then none of the secrets it was given appears in it", () => {
    const secrets = Object.entries(process.env)
      .filter(([name, value]) => name.endsWith('_FILE') && value && /secret|key/i.test(path.basename(value)))
      .map(([, file]) => fs.readFileSync(file as string, 'utf8').trim())
      .filter((secret) => secret.length >= 8);
    assert.ok(secrets.length >= 3, `the suite was given its secrets by file (${secrets.length})`);
    const log = process.env.LOG_FILE && fs.existsSync(process.env.LOG_FILE) ? fs.readFileSync(process.env.LOG_FILE, 'utf8') : '';
    assert.ok(log.length > 0, 'the suite wrote a service log');
    for (const secret of secrets) assert.ok(!log.includes(secret), 'a secret appears in the service log');
  });
});
