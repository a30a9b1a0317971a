import path from 'node:path';
import fs from 'node:fs';
import { cacheDir, logFile, pidFile, serverDir } from './paths';
import type { StackServer } from './server';
import { ensureDir, httpOk, isAlive, once, readPid, run, spawnDetached, stopPidFile, StackError, waitUntil, which } from './shell';
import { SEARCH_ATTRIBUTE_NAMES } from '../domain/search-attributes';
import { VERSIONS } from './versions';

const installDir = (): string => path.join(cacheDir(), `temporal-cli-${VERSIONS.temporalCli}`);
const binary = (): string => path.join(installDir(), 'bin', 'temporal');
/** The Temporal CLI, which both engines' set-up uses for operator commands. */
export const temporalCli = binary;

/** The Go toolchain, which builds the Temporal CLI and server from the Go module proxy. */
export function goBinary(): string {
  const go = which('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
  if (!go) throw new StackError('Go is needed to build Temporal from the Go module proxy: apt-get install golang');
  return go;
}

/**
 * The dev server is bound by its SQLite writes (one history shard, one connection, a full sync on
 * every commit). A write-ahead log with `synchronous=NORMAL` syncs at checkpoints instead of on every
 * commit: a killed or restarted server loses nothing (the log is on disk), only a crash of the whole
 * machine can lose the last moments, which a local stack can afford. The search-attribute cache is
 * not re-read on every signal-with-start. Measured with the ingest benchmark (size 2,000, see issue 11):
 * 36.5 → 73.7 no-op workflows per second, 7.9 → 16.6 entities per second. Not changed: the shard
 * count (fixed at one by the dev server) and `journal_mode=OFF` or `synchronous=OFF`, which can
 * corrupt the database on a crash.
 */
const ENGINE_TUNING = [
  '--sqlite-pragma',
  'journal_mode=WAL',
  '--sqlite-pragma',
  'synchronous=NORMAL',
  '--dynamic-config-value',
  'system.forceSearchAttributesCacheRefreshOnRead=false',
];

export const temporal: StackServer = {
  name: 'temporal',

  async provision() {
    await once(path.join(installDir(), '.installed'), async () => {
      const go = goBinary();
      ensureDir(installDir());
      // The longest step on a fresh machine (a few minutes): the CLI embeds the server and the Web UI.
      await run(go, ['install', `github.com/temporalio/cli/cmd/temporal@v${VERSIONS.temporalCli}`], {
        env: { ...process.env, GOBIN: path.join(installDir(), 'bin'), GOFLAGS: '-buildvcs=false' },
        cwd: installDir(),
      });
    });
  },

  async start(profile) {
    if (await this.healthy(profile)) return;
    const dir = serverDir(profile.name, 'temporal');
    const log = logFile(profile.name, 'temporal');
    const pid = pidFile(profile.name, 'temporal');
    ensureDir(dir);
    const searchAttributes = Object.values(SEARCH_ATTRIBUTE_NAMES).flatMap((name) => ['--search-attribute', `${name}=Keyword`]);
    spawnDetached(
      binary(),
      [
        'server',
        'start-dev',
        '--ip',
        '127.0.0.1',
        '--port',
        String(profile.temporalPort),
        '--ui-port',
        String(profile.temporalUiPort),
        '--http-port',
        String(profile.temporalPort + 10),
        '--metrics-port',
        String(profile.temporalPort + 20),
        '--db-filename',
        path.join(dir, 'temporal.db'),
        '--namespace',
        profile.temporalNamespace,
        '--log-level',
        'warn',
        ...ENGINE_TUNING,
        ...searchAttributes,
      ],
      { log, pidFile: pid, cwd: dir },
    );
    await waitUntil('Temporal', () => this.healthy(profile), { timeoutMs: 90_000, log, alive: () => isAlive(readPid(pid) ?? -1) });
  },

  async stop(profile) {
    await stopPidFile(pidFile(profile.name, 'temporal'));
  },

  async healthy(profile) {
    if (!fs.existsSync(binary())) return false;
    try {
      await run(binary(), [
        'operator',
        'namespace',
        'describe',
        '--namespace',
        profile.temporalNamespace,
        '--address',
        `127.0.0.1:${profile.temporalPort}`,
        '--command-timeout',
        '2s',
      ]);
      return await httpOk(`http://127.0.0.1:${profile.temporalUiPort}/`);
    } catch {
      return false;
    }
  },
};
