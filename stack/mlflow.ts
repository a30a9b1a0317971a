import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { logFile, pidFile, serverDir } from './paths';
import type { ProfileName } from './profiles';
import { ensurePythonPackage } from './python';
import { ensureDir, httpOk, isAlive, readPid, spawnDetached, stopPidFile, waitUntil } from './shell';
import { VERSIONS } from './versions';

/** MLflow's port per profile: the optional fifth server, started only where it is asked for. */
export const MLFLOW_PORTS: Readonly<Record<ProfileName, number>> = { dev: 5050, test: 15050, cluster: 25050, secure: 35050 };

export interface LocalMlflow {
  readonly url: string;
  /** The virtual environment: its `bin/python` has MLflow's own client. */
  readonly venv: string;
  stop(): Promise<void>;
  /** Stops the server and keeps its data; `start` brings it back. */
  start(): Promise<void>;
}

/**
 * MLflow encrypts the webhooks' secrets in its database with this key (a Fernet key); without one it
 * makes a new key at each start, and cannot sign deliveries after a restart. Made once per data directory.
 */
function encryptionKey(dir: string): string {
  const file = path.join(dir, 'webhook-encryption.key');
  if (!fs.existsSync(file)) {
    ensureDir(dir);
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}=`, { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/**
 * A real MLflow tracking server and registry on loopback, installed from PyPI into the cache on first
 * use (a virtual environment) with a SQLite backend in the profile's data directory. Its webhooks
 * may deliver to loopback (MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS). `fresh` starts from empty data.
 */
export async function startMlflow(profile: ProfileName, opts: { fresh?: boolean } = {}): Promise<LocalMlflow> {
  const venv = await ensurePythonPackage('mlflow', VERSIONS.mlflow);
  const port = MLFLOW_PORTS[profile];
  const url = `http://127.0.0.1:${port}`;
  const dir = serverDir(profile, 'mlflow');
  const log = logFile(profile, 'mlflow');
  const pids = pidFile(profile, 'mlflow');
  // The server runs uvicorn as a child in its process group: the whole group is stopped.
  const stop = async () => void (await stopPidFile(pids, { timeoutMs: 15_000, group: true }));
  const start = async () => {
    const running = readPid(pids);
    if (running !== null && isAlive(running) && (await httpOk(`${url}/health`).catch(() => false))) return;
    await stop();
    ensureDir(path.join(dir, 'artifacts'));
    const pid = spawnDetached(
      path.join(venv, 'bin', 'mlflow'),
      [
        'server',
        '--backend-store-uri',
        `sqlite:///${path.join(dir, 'mlflow.db')}`,
        '--artifacts-destination',
        path.join(dir, 'artifacts'),
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--workers',
        '1',
      ],
      {
        log,
        pidFile: pids,
        cwd: dir,
        env: {
          ...process.env,
          MLFLOW_WEBHOOK_ALLOWED_SCHEMES: 'http,https',
          MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS: 'true',
          MLFLOW_WEBHOOK_SECRET_ENCRYPTION_KEY: encryptionKey(dir),
          // It caches which webhooks exist for 60 s by default: a webhook created now would miss the events of that minute.
          MLFLOW_WEBHOOK_CACHE_TTL: '1',
          // Its background job runner (GenAI evaluation jobs) is a dozen processes the graph does not need.
          MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
        },
      },
    );
    await waitUntil('mlflow', () => httpOk(`${url}/health`), { timeoutMs: 120_000, log, alive: () => isAlive(pid) });
  };
  if (opts.fresh) {
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await start();
  return { url, venv, stop, start };
}
