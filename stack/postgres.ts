import fs from 'node:fs';
import path from 'node:path';
import { logFile, pidFile, serverDir } from './paths';
import type { Profile } from './profiles';
import { readSecret, securePaths } from './secure';
import type { StackServer } from './server';
import { ensureDir, isAlive, isRoot, readPid, run, spawnDetached, stopPidFile, StackError, waitUntil, which } from './shell';
import { VERSIONS } from './versions';

const SERVICE_USER = 'postgres';

/** The newest installed PostgreSQL of at least the pinned major version, from Debian's packages. */
function binDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const majors = fs
    .readdirSync(root)
    .map(Number)
    .filter((major) => major >= VERSIONS.postgresMajorAtLeast && fs.existsSync(path.join(root, String(major), 'bin', 'postgres')))
    .sort((a, b) => b - a);
  return majors.length > 0 ? path.join(root, String(majors[0]), 'bin') : null;
}

function requireBinDir(): string {
  const dir = binDir();
  if (!dir)
    throw new StackError(
      `PostgreSQL ${VERSIONS.postgresMajorAtLeast}+ is not installed and could not be installed (apt-get install postgresql)`,
    );
  return dir;
}

const pgUser = (): string | undefined => (isRoot() ? SERVICE_USER : undefined);

/**
 * Where the stack's own tools (createdb, psql) reach PostgreSQL: its Unix socket on the secure
 * profile, whose TCP port takes only TLS with a password; loopback elsewhere.
 */
const adminHost = (profile: Profile): string => (profile.secure ? path.join(serverDir(profile.name, 'postgres'), 'socket') : '127.0.0.1');

/**
 * The secure profile's cluster: the user's password set at creation (SCRAM), and a pg_hba.conf that
 * takes TCP connections only over TLS and only with the password (`hostssl … scram-sha-256`); the
 * Unix socket, which only this machine's users reach, stays for the stack's own tools.
 */
async function initSecure(bin: string, profile: Profile, dir: string, data: string): Promise<void> {
  // initdb runs as the server's user, which cannot read the secret's file: a copy of its own, removed after.
  const pwfile = path.join(dir, 'initdb-password');
  fs.writeFileSync(pwfile, `${readSecret(profile, 'postgres-password')}\n`, { mode: 0o600 });
  if (pgUser()) await run('chown', [SERVICE_USER, pwfile]);
  try {
    await run(
      path.join(bin, 'initdb'),
      ['-D', data, '-U', 'mlg', '--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C.UTF-8'],
      { user: pgUser(), cwd: dir },
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.writeFileSync(
    path.join(data, 'pg_hba.conf'),
    ['local all all trust', 'hostssl all all 127.0.0.1/32 scram-sha-256', 'hostssl all all ::1/128 scram-sha-256', ''].join('\n'),
  );
}

/** The server's TLS: its certificate from the profile's CA. */
function tlsSettings(profile: Profile): string[] {
  const { cert, key } = securePaths(profile).cert('postgres');
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`, '-c', 'password_encryption=scram-sha-256'];
}

export const postgres: StackServer = {
  name: 'postgres',

  async provision() {
    if (binDir()) return;
    if (!isRoot() || !which('apt-get')) requireBinDir();
    await run('apt-get', ['update', '-qq']);
    await run('apt-get', ['install', '-y', '-qq', 'postgresql'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    requireBinDir();
  },

  async start(profile) {
    const bin = requireBinDir();
    const dir = serverDir(profile.name, 'postgres');
    const data = path.join(dir, 'data');
    const socketDir = path.join(dir, 'socket');
    const log = logFile(profile.name, 'postgres');
    const pid = pidFile(profile.name, 'postgres');
    ensureDir(path.dirname(log));
    if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
      ensureDir(dir, pgUser());
      if (profile.secure) await initSecure(bin, profile, dir, data);
      else
        await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'mlg', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
          user: pgUser(),
          cwd: dir,
        });
    }
    ensureDir(socketDir, pgUser());
    if (!(await this.healthy(profile))) {
      const durability = profile.ephemeral ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : [];
      const tls = profile.secure ? tlsSettings(profile) : [];
      spawnDetached(
        path.join(bin, 'postgres'),
        [
          '-D',
          data,
          '-p',
          String(profile.postgresPort),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          `unix_socket_directories=${socketDir}`,
          '-c',
          'max_connections=200',
          ...durability,
          ...tls,
        ],
        { log, pidFile: pid, user: pgUser() },
      );
      await waitUntil('PostgreSQL', () => this.healthy(profile), { timeoutMs: 60_000, log, alive: () => isAlive(readPid(pid) ?? -1) });
    }
    if (!(await databaseExists(profile, 'mlg')))
      await run(path.join(bin, 'createdb'), ['-h', adminHost(profile), '-p', String(profile.postgresPort), '-U', 'mlg', 'mlg']);
  },

  async stop(profile) {
    // SIGINT is PostgreSQL's fast shutdown: it ends sessions and checkpoints.
    await stopPidFile(pidFile(profile.name, 'postgres'), { signal: 'SIGINT' });
  },

  async healthy(profile) {
    const bin = binDir();
    if (!bin) return false;
    try {
      await run(path.join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(profile.postgresPort)]);
      return true;
    } catch {
      return false;
    }
  },
};

/** One value a query answers on the profile's PostgreSQL, through psql (stack set-up only; names are ours, never a user's). */
async function valueOf(profile: Profile, database: string, query: string): Promise<string> {
  const bin = binDir();
  if (!bin) throw new StackError('PostgreSQL is not installed');
  const args = ['-h', adminHost(profile), '-p', String(profile.postgresPort), '-U', 'mlg', '-d', database, '-tAc', query];
  return (await run(path.join(bin, 'psql'), args)).trim();
}

export async function databaseExists(profile: Profile, name: string): Promise<boolean> {
  return (await valueOf(profile, 'postgres', `select 1 from pg_database where datname = '${name}'`)) === '1';
}

export async function tableExists(profile: Profile, database: string, table: string): Promise<boolean> {
  return (await valueOf(profile, database, `select 1 from information_schema.tables where table_name = '${table}'`)) === '1';
}
