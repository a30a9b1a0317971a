import { loadLocalStackSettings } from '../platform/config';
import fs from 'node:fs';
import path from 'node:path';
import { copyArtifact, javaHome } from './maven';
import { cacheDir, logFile, pidFile, serverDir } from './paths';
import type { Profile } from './profiles';
import type { StackServer } from './server';
import { securePaths } from './secure';
import {
  ensureDir,
  httpOk,
  isAlive,
  isRoot,
  once,
  portOpen,
  readPid,
  run,
  spawnDetached,
  stopPidFile,
  StackError,
  waitUntil,
} from './shell';
import { VERSIONS } from './versions';

/** Elasticsearch refuses to run as root; as root it runs as this system user, created on demand. */
const SERVICE_USER = 'mlg';

const installDir = (): string => path.join(cacheDir(), `elasticsearch-${VERSIONS.elasticsearch}`);

async function ensureServiceUser(): Promise<string | undefined> {
  if (!isRoot()) return undefined;
  try {
    await run('id', ['-u', SERVICE_USER]);
  } catch {
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', SERVICE_USER]);
  }
  return SERVICE_USER;
}

function settings(profile: Profile, dir: string): string {
  return [
    `cluster.name: mlg-${profile.name}`,
    'node.name: mlg',
    `path.data: ${path.join(dir, 'data')}`,
    `path.logs: ${path.join(dir, 'logs')}`,
    'network.host: 127.0.0.1',
    `http.port: ${httpPort(profile)}`,
    `transport.port: ${profile.elasticsearchTransportPort}`,
    'discovery.type: single-node',
    'xpack.security.enabled: false',
    'cluster.routing.allocation.disk.threshold_enabled: false',
    'action.destructive_requires_name: false',
    '',
  ].join('\n');
}

/**
 * Elasticsearch's own HTTP port: the profile's, or on the secure profile a private one behind the
 * TLS front (stack/tls-front.ts), which takes the profile's port.
 */
const httpPort = (profile: Profile): number => (profile.secure ? profile.elasticsearchPort + 50 : profile.elasticsearchPort);
const url = (profile: Profile): string => `http://127.0.0.1:${httpPort(profile)}`;
const FRONT = path.join(import.meta.dirname, 'tls-front.ts');

/** Starts the secure profile's TLS front, which checks the API key, unless it runs. */
async function startFront(profile: Profile): Promise<void> {
  if (await portOpen(profile.elasticsearchPort)) return;
  const tls = securePaths(profile);
  const { cert, key } = tls.cert('elasticsearch');
  const log = logFile(profile.name, 'elasticsearch-front');
  const pid = pidFile(profile.name, 'elasticsearch-front');
  spawnDetached(
    process.execPath,
    [
      '--import',
      'tsx',
      FRONT,
      String(profile.elasticsearchPort),
      String(httpPort(profile)),
      cert,
      key,
      tls.secret('elasticsearch-api-key'),
    ],
    { log, pidFile: pid },
  );
  await waitUntil("Elasticsearch's TLS front", () => portOpen(profile.elasticsearchPort), {
    timeoutMs: 30_000,
    log,
    alive: () => isAlive(readPid(pid) ?? -1),
  });
}

export const elasticsearch: StackServer = {
  name: 'elasticsearch',

  async provision() {
    await once(path.join(installDir(), '.installed'), async () => {
      const downloads = path.join(cacheDir(), 'downloads');
      await copyArtifact(`org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSIONS.elasticsearch}:zip`, downloads);
      fs.rmSync(installDir(), { recursive: true, force: true });
      await run('unzip', ['-q', '-o', path.join(downloads, `elasticsearch-${VERSIONS.elasticsearch}.zip`), '-d', cacheDir()]);
      await run('chmod', ['-R', 'a+rX', installDir()]);
    });
  },

  async start(profile) {
    if (await this.healthy(profile)) return;
    if (await serving(profile)) return startFront(profile);
    const user = await ensureServiceUser();
    const dir = serverDir(profile.name, 'elasticsearch');
    const config = path.join(dir, 'config');
    const log = logFile(profile.name, 'elasticsearch');
    const pid = path.join(dir, 'elasticsearch.pid');
    if (!fs.existsSync(path.join(config, 'jvm.options'))) {
      ensureDir(config);
      fs.cpSync(path.join(installDir(), 'config'), config, { recursive: true });
    }
    fs.writeFileSync(path.join(config, 'elasticsearch.yml'), settings(profile, dir));
    for (const sub of ['data', 'logs', 'tmp']) ensureDir(path.join(dir, sub));
    ensureDir(dir, user);
    ensureDir(path.dirname(log));
    const env = {
      ...process.env,
      ES_JAVA_HOME: javaHome(),
      ES_PATH_CONF: config,
      ES_TMPDIR: path.join(dir, 'tmp'),
      ES_JAVA_OPTS: loadLocalStackSettings().esJavaOpts,
    };
    // -d daemonizes once the node has started; its own pid file is what `stop` signals.
    try {
      const output = await run(path.join(installDir(), 'bin', 'elasticsearch'), ['-d', '-p', pid], { env, user, cwd: dir });
      fs.appendFileSync(log, output);
    } catch (error) {
      fs.appendFileSync(log, String(error));
      throw new StackError(`Elasticsearch failed to start; see ${log} and ${path.join(dir, 'logs')}: ${(error as Error).message}`);
    }
    await waitUntil('Elasticsearch', () => serving(profile), {
      timeoutMs: 120_000,
      log: path.join(dir, 'logs', `mlg-${profile.name}.log`),
      alive: () => isAlive(readPid(pid) ?? -1),
    });
    if (profile.secure) await startFront(profile);
  },

  async stop(profile) {
    if (profile.secure) await stopPidFile(pidFile(profile.name, 'elasticsearch-front'));
    await stopPidFile(path.join(serverDir(profile.name, 'elasticsearch'), 'elasticsearch.pid'), { timeoutMs: 60_000 });
  },

  async healthy(profile) {
    return (await serving(profile)) && (!profile.secure || (await portOpen(profile.elasticsearchPort)));
  },
};

/** Whether Elasticsearch itself answers, yellow or green. */
async function serving(profile: Profile): Promise<boolean> {
  try {
    return await httpOk(`${url(profile)}/_cluster/health?wait_for_status=yellow&timeout=1s`);
  } catch {
    return false;
  }
}
