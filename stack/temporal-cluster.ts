import { loadLocalStackSettings } from '../platform/config';
import fs from 'node:fs';
import path from 'node:path';
import { cacheDir, logFile, pidFile, serverDir } from './paths';
import { databaseExists, postgres, tableExists } from './postgres';
import type { Profile } from './profiles';
import { readSecret, securePaths } from './secure';
import type { StackServer } from './server';
import { ensureDir, isAlive, once, readPid, run, spawnDetached, stopPidFile, StackError, waitUntil } from './shell';
import { goBinary, temporal, temporalCli } from './temporal';
import { VERSIONS } from './versions';

const installDir = (): string => path.join(cacheDir(), `temporal-server-${VERSIONS.temporalServer}`);
const serverBinary = (): string => path.join(installDir(), 'bin', 'server');
const sqlTool = (): string => path.join(installDir(), 'bin', 'sql');

/** The two databases the server keeps on the profile's PostgreSQL, and the schema each gets. */
const DATABASES = [
  { name: 'temporal', schema: 'postgresql/v12/temporal' },
  { name: 'temporal_visibility', schema: 'postgresql/v12/visibility' },
] as const;

/** Each service listens on its own port, counted from the profile's frontend port. */
export function clusterPorts(profile: Profile) {
  const base = profile.temporalPort;
  return {
    frontend: { grpc: base, membership: base + 30, http: base + 10 },
    history: { grpc: base + 1, membership: base + 31 },
    matching: { grpc: base + 2, membership: base + 32 },
    worker: { grpc: base + 9, membership: base + 39 },
    metrics: base + 20,
  };
}

/**
 * The server's configuration: PostgreSQL for both stores, `shards` history shards, every service in
 * one process on loopback. The shard count is fixed when the databases are created.
 */
export function clusterConfig(profile: Profile, shards: number): string {
  const ports = clusterPorts(profile);
  const store = (database: string, conns: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "127.0.0.1:${profile.postgresPort}"
        connectProtocol: tcp
        user: mlg
        password: "${profile.secure ? readSecret(profile, 'postgres-password') : ''}"
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: 1h${profile.secure ? sqlTls(profile) : ''}`;
  const service = (p: { grpc: number; membership: number; http?: number }) => `
    rpc:
      grpcPort: ${p.grpc}
      membershipPort: ${p.membership}
      bindOnLocalHost: true${p.http ? `\n      httpPort: ${p.http}` : ''}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: default
  visibilityStore: visibility
  numHistoryShards: ${shards}
  datastores:
    default:${store('temporal', 20)}
    visibility:${store('temporal_visibility', 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:${ports.metrics}"${profile.secure ? serverTls(profile) : ''}
services:
  frontend:${service(ports.frontend)}
  history:${service(ports.history)}
  matching:${service(ports.matching)}
  worker:${service(ports.worker)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${ports.frontend.grpc}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: dynamicconfig.yaml
  pollInterval: 60s
`;
}

/** The stores' TLS on the secure profile: PostgreSQL's certificate checked against the profile's CA and name. */
function sqlTls(profile: Profile): string {
  return `
        tls:
          enabled: true
          caFile: ${securePaths(profile).ca}
          enableHostVerification: true
          serverName: localhost`;
}

/**
 * mTLS on the secure profile: the frontend (and the services between themselves) present the
 * profile's certificate and require one the profile's CA signed; the system worker presents one.
 */
function serverTls(profile: Profile): string {
  const tls = securePaths(profile);
  const { cert, key } = tls.cert('temporal');
  const side = `
      server:
        certFile: ${cert}
        keyFile: ${key}
        requireClientAuth: true
        clientCaFiles: [${tls.ca}]
      client:
        serverName: localhost
        rootCaFiles: [${tls.ca}]`;
  return `
  tls:
    internode:${side}
    frontend:${side}
    systemWorker:
      certFile: ${cert}
      keyFile: ${key}
      client:
        serverName: localhost
        rootCaFiles: [${tls.ca}]`;
}

/** What the temporal CLI needs to reach the secure profile's frontend (mTLS); nothing elsewhere. */
const cliTls = (profile: Profile): string[] => {
  if (!profile.secure) return [];
  const tls = securePaths(profile);
  const { cert, key } = tls.cert('client');
  return ['--tls-ca-path', tls.ca, '--tls-cert-path', cert, '--tls-key-path', key, '--tls-server-name', 'localhost'];
};

/** What the schema tool needs to reach the secure profile's PostgreSQL (TLS and the password). */
const sqlToolAccess = (profile: Profile): string[] =>
  profile.secure ? ['--tls', '--tls-ca-file', securePaths(profile).ca, '--tls-server-name', 'localhost'] : [];

/** History shards of the cluster engine (`MLG_TEMPORAL_SHARDS`, default 4): fixed once its databases exist. */
export const clusterShards = (env: NodeJS.ProcessEnv = process.env): number => loadLocalStackSettings(env).temporalShards;

/** Creates the databases and brings their schemas to the server's version; safe to run again. */
async function prepareDatabases(profile: Profile): Promise<void> {
  const connect = [
    '--plugin',
    'postgres12',
    '--ep',
    '127.0.0.1',
    '-p',
    String(profile.postgresPort),
    '-u',
    'mlg',
    ...sqlToolAccess(profile),
  ];
  // The password by the tool's environment variable: never on a command line or in an error.
  const password = profile.secure ? readSecret(profile, 'postgres-password') : '';
  const access = { env: { ...process.env, SQL_PASSWORD: password }, secrets: password ? [password] : [] };
  for (const db of DATABASES) {
    if (!(await databaseExists(profile, db.name))) await run(sqlTool(), [...connect, '--db', db.name, 'create-database'], access);
    if (!(await tableExists(profile, db.name, 'schema_version')))
      await run(sqlTool(), [...connect, '--db', db.name, 'setup-schema', '-v', '0.0'], access);
    await run(sqlTool(), [...connect, '--db', db.name, 'update-schema', '--schema-name', db.schema], access);
  }
}

/**
 * The full Temporal server on the profile's PostgreSQL, for the `cluster` profile: several history
 * shards instead of the dev server's one, and stores that any number of worker processes share.
 * Built from the Go module proxy (the server and its schema tool) into the cache, once.
 */
export const temporalCluster: StackServer = {
  name: 'temporal',

  async provision() {
    await temporal.provision(); // its CLI creates the namespace
    await once(path.join(installDir(), '.installed'), async () => {
      ensureDir(installDir());
      // The longest step on a fresh machine (several minutes of compiling).
      await run(
        goBinary(),
        [
          'install',
          `go.temporal.io/server/cmd/server@v${VERSIONS.temporalServer}`,
          `go.temporal.io/server/cmd/tools/sql@v${VERSIONS.temporalServer}`,
        ],
        { env: { ...process.env, GOBIN: path.join(installDir(), 'bin'), GOFLAGS: '-buildvcs=false' }, cwd: installDir() },
      );
    });
  },

  async start(profile) {
    if (await this.healthy(profile)) return;
    const dir = serverDir(profile.name, 'temporal');
    const log = logFile(profile.name, 'temporal');
    const pid = pidFile(profile.name, 'temporal');
    ensureDir(dir);
    await waitUntil('PostgreSQL, for Temporal', () => postgres.healthy(profile), { timeoutMs: 90_000, log });
    const shards = clusterShards();
    const recorded = path.join(dir, 'shards');
    if (fs.existsSync(recorded) && Number(fs.readFileSync(recorded, 'utf8')) !== shards)
      throw new StackError(
        `the cluster engine's databases were created with ${fs.readFileSync(recorded, 'utf8')} history shards, not ${shards}: a shard count cannot change; wipe the profile's data to change it`,
      );
    await prepareDatabases(profile);
    fs.writeFileSync(recorded, String(shards));
    fs.writeFileSync(path.join(dir, 'config.yaml'), clusterConfig(profile, shards), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: false\n');
    spawnDetached(serverBinary(), ['--config-file', path.join(dir, 'config.yaml'), '--allow-no-auth', 'start'], {
      log,
      pidFile: pid,
      cwd: dir,
    });
    const alive = () => isAlive(readPid(pid) ?? -1);
    const address = `127.0.0.1:${profile.temporalPort}`;
    await waitUntil('Temporal (cluster engine)', () => clusterHealthy(profile), { timeoutMs: 120_000, log, alive });
    if (!(await namespaceExists(profile)))
      await run(temporalCli(), [
        'operator',
        'namespace',
        'create',
        '--namespace',
        profile.temporalNamespace,
        '--address',
        address,
        '--retention',
        '72h',
        ...cliTls(profile),
      ]);
    await waitUntil('the Temporal namespace', () => namespaceExists(profile), { timeoutMs: 60_000, log, alive });
  },

  async stop(profile) {
    await stopPidFile(pidFile(profile.name, 'temporal'));
  },

  async healthy(profile) {
    if (!fs.existsSync(serverBinary())) return false;
    return (await clusterHealthy(profile)) && (await namespaceExists(profile));
  },
};

async function clusterHealthy(profile: Profile): Promise<boolean> {
  try {
    await run(temporalCli(), [
      ...['operator', 'cluster', 'health', '--address', `127.0.0.1:${profile.temporalPort}`, '--command-timeout', '2s'],
      ...cliTls(profile),
    ]);
    return true;
  } catch {
    return false;
  }
}

async function namespaceExists(profile: Profile): Promise<boolean> {
  try {
    await run(temporalCli(), [
      'operator',
      'namespace',
      'describe',
      '--namespace',
      profile.temporalNamespace,
      '--address',
      `127.0.0.1:${profile.temporalPort}`,
      '--command-timeout',
      '2s',
      ...cliTls(profile),
    ]);
    return true;
  } catch {
    return false;
  }
}
