/**
 * `npm run fuzz`: proves that no input can produce a 5xx, stop the consumer, or get past the
 * credentials through its content alone. It starts the test profile of the stack, a small demo world
 * ingested and enriched with real producers' OpenLineage events besides, an OIDC provider, and the API
 * (static tokens and the provider's JWTs and the portal's sessions accepted), then:
 * 1. runs schemathesis against the served OpenAPI document, its entity routes made concrete and its
 *    identifiers bound to the world's (test/fuzz/fuzz-document.ts), so that fuzzed parameters reach
 *    the graph's walks;
 * 2. fuzzes the credentials: bearer tokens and session cookies against a route of each scope;
 * 3. fuzzes the two ways events come in: the events topic and POST /v1/events.
 * It writes what it tried to bench/results/fuzz/ (summary.md, summary.json, junit.xml). Not part of
 * `npm test`: run it on its own (it shares the test profile's servers).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import express from 'express';
import { createApp } from '../../api/app';
import { listen } from '../../api/server';
import { parseUri } from '../../domain/uri';
import { createLogger } from '../../platform/logger';
import { runSweep, waitForPipelineQuiet } from '../support/convergence';
import { API_AUDIENCE, signingKey, startTestProvider } from '../support/oidc-provider';
import { useTestProfile } from '../support/profile';
import { fuzzAuth } from './auth-fuzz';
import { fuzzEvents } from './event-fuzz';
import { fuzzTargets, operationOf, type OpenApiDocument } from './fuzz-document';
import { runSchemathesis } from './schemathesis';
import { writeFuzzSummary } from './summary';

const STATIC = { read: 'fuzz-reader-token-0123456789', ingest: 'fuzz-producer-token-0123456789', admin: 'fuzz-admin-token-0123456789' };
const GROUPS = { read: 'mlg-read', ingest: 'mlg-ingest', admin: 'mlg-admin' };
const SESSION_SECRET = 'the-session-secret-of-the-fuzz-run-0123456789';
const OPENLINEAGE_EVENTS = path.resolve(import.meta.dirname, '../../../shared/openlineage/scenarios');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'max-examples': { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      'auth-cases': { type: 'string', default: '3000' },
      'kafka-messages': { type: 'string', default: '3000' },
      'http-requests': { type: 'string', default: '2000' },
    },
  });
  const seed = Number(values.seed);
  const started = Date.now();
  await useTestProfile((m) => console.log(`[fuzz] ${m}`), 'test', 'check');
  const key = await signingKey('fuzz-key');
  const provider = await startTestProvider({ keys: [key] });
  const { startHarness } = await import('../support/harness');
  const h = await startHarness({
    seed: 81,
    size: 120,
    env: {
      MLG_API_TOKENS: Object.entries(STATIC)
        .map(([scope, token]) => `fuzz-${scope}:${token}:${scope}`)
        .join(','),
      MLG_OIDC_ISSUER: provider.issuer,
      MLG_OIDC_AUDIENCE: API_AUDIENCE,
      MLG_OIDC_READ_GROUPS: GROUPS.read,
      MLG_OIDC_INGEST_GROUPS: GROUPS.ingest,
      MLG_OIDC_ADMIN_GROUPS: GROUPS.admin,
      MLG_OIDC_CLIENT_ID: 'portal',
      MLG_SESSION_SECRET: SESSION_SECRET,
      MLG_MLFLOW_WEBHOOK_SECRET: 'the-webhook-secret-of-the-fuzz-run',
    },
  });
  try {
    // Every answer counted by operation and status: whether generated requests got through to the graph.
    const answers = new Map<string, Record<string, number>>();
    const counted = express();
    counted.use((req, res, next) => {
      res.on('finish', () => {
        const operation = operationOf(req.method, req.path);
        const byStatus = answers.get(operation) ?? {};
        byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
        answers.set(operation, byStatus);
      });
      next();
    });
    counted.use(createApp({ services: h.services, logger: createLogger({ logLevel: 'silent' }) }));
    const server = await listen(counted, '127.0.0.1', 0);
    const base = `http://127.0.0.1:${server.port}`;
    const admin = { authorization: `Bearer ${STATIC.admin}`, 'content-type': 'application/json' };
    await h.demo.announce();
    const lineage = fs
      .readdirSync(OPENLINEAGE_EVENTS, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(fs.readFileSync(path.join(OPENLINEAGE_EVENTS, file), 'utf8')) as unknown);
    await fetch(`${base}/api/v1/lineage/batch`, { method: 'POST', headers: admin, body: JSON.stringify(lineage) });
    await waitForPipelineQuiet(h, 3000);
    await runSweep(h);

    const uris = (await h.services.db.selectFrom('entities').select('uri').orderBy('uri').execute()).map((r) => r.uri);
    const served = (await (await fetch(`${base}/openapi.json`)).json()) as OpenApiDocument;
    const { document, config } = fuzzTargets(served, { entities: uris.map((uri) => parseUri(uri, h.services.config.uriScheme)), uris });
    const out = path.resolve('bench/results/fuzz');
    fs.mkdirSync(out, { recursive: true });
    const schemathesis = await runSchemathesis({
      document,
      config,
      base,
      token: STATIC.admin,
      maxExamples: Number(values['max-examples']),
      seed,
      out,
      work: path.resolve('bench/results/tmp/fuzz'),
    });

    const schemathesisAnswers = structuredClone(Object.fromEntries(answers));
    console.log('[fuzz] fuzzing the credentials');
    const auth = await fuzzAuth(
      {
        base,
        issuer: provider.issuer,
        audience: API_AUDIENCE,
        providerKey: key,
        sessionSecret: SESSION_SECRET,
        clockSkewSeconds: h.services.config.oidc.clockSkewSeconds,
        staticTokens: STATIC,
        groups: GROUPS,
      },
      { seed, cases: Number(values['auth-cases']) },
    );
    console.log(`[fuzz] ${JSON.stringify(auth)}`);

    console.log('[fuzz] fuzzing the events topic and POST /v1/events');
    const events = await fuzzEvents(h, base, {
      seed,
      kafkaMessages: Number(values['kafka-messages']),
      httpRequests: Number(values['http-requests']),
      token: STATIC.admin,
    });
    console.log(`[fuzz] ${JSON.stringify(events)}`);
    await server.close();

    const passed = schemathesis.exitCode === 0 && auth.passed && events.passed;
    writeFuzzSummary(out, {
      command: `npm run fuzz -- ${process.argv.slice(2).join(' ')}`.trim(),
      at: new Date().toISOString(),
      seconds: Math.round((Date.now() - started) / 1000),
      operations: {
        served: Object.entries(served.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`)),
        fuzzed: Object.values(document.paths).flatMap((m) => Object.keys(m)).length,
      },
      schemathesis,
      answers: schemathesisAnswers,
      auth,
      events,
      passed,
    });
    return passed ? 0 : 1;
  } finally {
    await h.close();
    await provider.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
