import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../platform/config';
import {
  connectionAdvice,
  elasticsearchConnection,
  kafkaConnection,
  postgresConnection,
  temporalConnection,
} from '../../platform/server-security';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlg-tls-'));
const pem = (name: string): string => {
  const file = path.join(dir, `${name}.pem`);
  fs.writeFileSync(file, `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`);
  return file;
};
const CA = pem('ca');
const CERT = pem('cert');
const KEY = pem('key');

describe('how the service reaches each server: TLS and credentials from the settings', () => {
  after(() => fs.rmSync(dir, { recursive: true }));

  it("when PostgreSQL's sslmode is set, then it means what libpq means, whether from the setting or the URL", () => {
    const of = (env: NodeJS.ProcessEnv) => postgresConnection(loadConfig(env).postgres);
    assert.equal(of({}).ssl, false);
    assert.deepEqual(of({ MLG_POSTGRES_SSLMODE: 'require' }).ssl, { rejectUnauthorized: false });
    // node-postgres would read `require` in the URL as verify-full; here it is libpq's require.
    const fromUrl = of({ DATABASE_URL: 'postgres://mlg@db.example:5432/mlg?sslmode=require&application_name=mlg' });
    assert.deepEqual(fromUrl.ssl, { rejectUnauthorized: false });
    assert.equal(fromUrl.connectionString, 'postgres://mlg@db.example:5432/mlg?application_name=mlg');
    const verifyCa = of({ MLG_POSTGRES_SSLMODE: 'verify-ca', MLG_POSTGRES_CA_FILE: CA });
    assert.ok(verifyCa.ssl && verifyCa.ssl.rejectUnauthorized === true && verifyCa.ssl.ca?.toString().includes('ca'));
    assert.equal(verifyCa.ssl && verifyCa.ssl.checkServerIdentity?.('db.example', {} as never), undefined, 'the name is not checked');
    const full = of({
      MLG_POSTGRES_SSLMODE: 'verify-full',
      MLG_POSTGRES_CA_FILE: CA,
      MLG_POSTGRES_CERT_FILE: CERT,
      MLG_POSTGRES_KEY_FILE: KEY,
    });
    assert.ok(full.ssl && full.ssl.rejectUnauthorized === true && full.ssl.checkServerIdentity === undefined && full.ssl.key);
    assert.equal(new URL(of({ MLG_POSTGRES_PASSWORD: 'from a/secret' }).connectionString).password, encodeURIComponent('from a/secret'));
  });

  it('when Kafka speaks SASL_SSL, then every client gets TLS with the CA and the SASL user', () => {
    const of = (env: NodeJS.ProcessEnv) => kafkaConnection(loadConfig(env).kafka);
    assert.deepEqual(of({}), {});
    const secure = of({
      MLG_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      MLG_KAFKA_USERNAME: 'mlg',
      MLG_KAFKA_PASSWORD: 'pw',
      MLG_KAFKA_CA_FILE: CA,
    });
    assert.ok(secure.tls?.ca?.toString().includes('ca'));
    assert.deepEqual(secure.sasl, { mechanism: 'SCRAM-SHA-512', username: 'mlg', password: 'pw' });
    const mtls = of({ MLG_KAFKA_SECURITY_PROTOCOL: 'SSL', MLG_KAFKA_CERT_FILE: CERT, MLG_KAFKA_KEY_FILE: KEY });
    assert.ok(mtls.tls?.cert && mtls.tls.key && mtls.sasl === undefined);
  });

  it('when Elasticsearch has an API key or a user, then the client authenticates with it', () => {
    const of = (env: NodeJS.ProcessEnv) => elasticsearchConnection(loadConfig(env).elasticsearch);
    assert.deepEqual(of({}), {});
    const keyed = of({
      ELASTICSEARCH_URL: 'https://search.example:9243',
      MLG_ELASTICSEARCH_API_KEY: 'a2V5',
      MLG_ELASTICSEARCH_CA_FILE: CA,
    });
    assert.deepEqual(keyed.auth, { apiKey: 'a2V5' });
    assert.ok(keyed.tls?.ca);
    assert.deepEqual(of({ MLG_ELASTICSEARCH_USERNAME: 'elastic', MLG_ELASTICSEARCH_PASSWORD: 'pw' }).auth, {
      username: 'elastic',
      password: 'pw',
    });
  });

  it('when Temporal has a CA, a client certificate or an API key, then TLS is on by itself', () => {
    const of = (env: NodeJS.ProcessEnv) => temporalConnection(loadConfig(env).temporal);
    assert.deepEqual(of({}), {});
    assert.deepEqual(of({ MLG_TEMPORAL_TLS: 'on' }), { tls: {} });
    const mtls = of({
      MLG_TEMPORAL_CERT_FILE: CERT,
      MLG_TEMPORAL_KEY_FILE: KEY,
      MLG_TEMPORAL_CA_FILE: CA,
      MLG_TEMPORAL_SERVER_NAME: 'frontend',
    });
    assert.ok(mtls.tls?.clientCertPair?.crt && mtls.tls.serverRootCACertificate && mtls.tls.serverNameOverride === 'frontend');
    assert.deepEqual(of({ MLG_TEMPORAL_API_KEY: 'cloud-key' }), { tls: {}, apiKey: 'cloud-key' });
  });

  it('when a server refuses the TLS or the credentials, then the advice names the setting; an outage gets none', () => {
    const coded = (message: string, code: string | number, cause?: unknown) => Object.assign(new Error(message), { code, cause });
    // The shapes the real clients give (seen on the secure profile): codes deep in causes, or only in a message.
    const kafka = Object.assign(new Error('Listing topics failed.'), {
      errors: [
        Object.assign(new Error('Cannot connect to any broker.'), {
          errors: [coded('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')],
        }),
      ],
    });
    assert.match(connectionAdvice('kafka', kafka) ?? '', /MLG_KAFKA_CA_FILE/);
    assert.match(
      connectionAdvice('kafka', coded('x', 'PLT_KFK_NETWORK', coded('SASL authentication failed.', 'PLT_KFK_AUTHENTICATION'))) ?? '',
      /MLG_KAFKA_PASSWORD/,
    );
    const grpc = coded(
      'Failed to start Workflow',
      'x',
      coded('14 UNAVAILABLE: No connection established. Last error: tlsv13 alert certificate required', 14),
    );
    assert.match(connectionAdvice('temporal', grpc) ?? '', /MLG_TEMPORAL_CERT_FILE/);
    assert.match(
      connectionAdvice('postgres', coded('password authentication failed for user "mlg"', '28P01')) ?? '',
      /MLG_POSTGRES_PASSWORD/,
    );
    assert.match(
      connectionAdvice('postgres', coded('no pg_hba.conf entry for host "127.0.0.1", user "mlg", no encryption', '28000')) ?? '',
      /MLG_POSTGRES_SSLMODE/,
    );
    assert.match(
      connectionAdvice('elasticsearch', Object.assign(new Error('security_exception'), { statusCode: 401 })) ?? '',
      /MLG_ELASTICSEARCH_API_KEY/,
    );
    assert.match(connectionAdvice('elasticsearch', coded('socket hang up', 'ECONNRESET'), true) ?? '', /https ELASTICSEARCH_URL/);
    assert.equal(connectionAdvice('postgres', coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true), null);
    assert.equal(
      connectionAdvice('temporal', coded('14 UNAVAILABLE: Failed to connect', 14)),
      null,
      'with TLS on, a failed connection is an outage',
    );
  });

  it('when settings contradict each other or lack their other half, then loading names them', () => {
    const refused = (env: NodeJS.ProcessEnv, pattern: RegExp) =>
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && pattern.test(error.message),
      );
    refused({ MLG_KAFKA_CERT_FILE: CERT, MLG_KAFKA_SECURITY_PROTOCOL: 'SSL' }, /MLG_KAFKA_CERT_FILE and MLG_KAFKA_KEY_FILE go together/);
    refused({ MLG_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }, /needs MLG_KAFKA_USERNAME and MLG_KAFKA_PASSWORD/);
    refused({ MLG_KAFKA_CA_FILE: CA }, /MLG_KAFKA_SECURITY_PROTOCOL is PLAINTEXT/);
    refused({ MLG_POSTGRES_SSLMODE: 'disable', MLG_POSTGRES_CA_FILE: CA }, /MLG_POSTGRES_SSLMODE is disable/);
    refused({ MLG_ELASTICSEARCH_CA_FILE: CA }, /needs an https ELASTICSEARCH_URL/);
    refused({ MLG_ELASTICSEARCH_API_KEY: 'k', MLG_ELASTICSEARCH_USERNAME: 'u', MLG_ELASTICSEARCH_PASSWORD: 'p' }, /set one of them/);
    refused({ MLG_TEMPORAL_CA_FILE: path.join(dir, 'nope.pem') }, /MLG_TEMPORAL_CA_FILE: .*nope\.pem cannot be read \(ENOENT\)/);
    const notPem = path.join(dir, 'not.pem');
    fs.writeFileSync(notPem, 'hello');
    refused({ MLG_TEMPORAL_CA_FILE: notPem }, /holds no PEM block/);
  });
});
