import { elasticsearch } from './elasticsearch';
import { kafka } from './kafka';
import { postgres } from './postgres';
import type { Profile } from './profiles';
import { ensureSecureMaterial } from './secure';
import { temporal } from './temporal';
import { temporalCluster } from './temporal-cluster';
import type { Say, ServerName, StackServer } from './server';
import { SERVER_NAMES } from './server';
import fs from 'node:fs';
import { logFile, serverDir } from './paths';

const SERVERS: Readonly<Record<ServerName, StackServer>> = { postgres, elasticsearch, kafka, temporal };

/** A profile's server of that name: the cluster profile runs the full Temporal server instead of the dev server. */
export function serverOf(profile: Profile, name: ServerName): StackServer {
  return name === 'temporal' && profile.temporalEngine === 'cluster' ? temporalCluster : SERVERS[name];
}

const seconds = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/**
 * Provisions and starts the named servers. Maven downloads run one after the other (they share
 * ~/.m2); everything else runs in parallel so a warm start costs only the slowest server's boot.
 */
export async function up(profile: Profile, names: readonly ServerName[], say: Say, opts: { fresh?: boolean } = {}): Promise<void> {
  const started = Date.now();
  if (opts.fresh) {
    await down(profile, names);
    for (const name of names) fs.rmSync(serverDir(profile.name, name), { recursive: true, force: true });
    say(`wiped the data of ${names.join(', ')}`);
  }
  const servers = names.map((name) => serverOf(profile, name));
  const wanted = (name: ServerName): boolean => names.includes(name);
  const fromMaven = async (): Promise<void> => {
    if (wanted('elasticsearch')) await elasticsearch.provision();
    if (wanted('kafka')) await kafka.provision();
  };
  await Promise.all([
    wanted('postgres') && postgres.provision(),
    wanted('temporal') && serverOf(profile, 'temporal').provision(),
    fromMaven(),
  ]);
  say(`provisioned ${names.join(', ')} in ${seconds(started)}`);
  // The secure profile's servers read their certificates and secrets as they start.
  if (profile.secure) await ensureSecureMaterial(profile);
  await Promise.all(
    servers.map(async (server) => {
      const t = Date.now();
      await server.start(profile);
      say(`${server.name} up (${seconds(t)}), log ${logFile(profile.name, server.name)}`);
    }),
  );
  say(`stack '${profile.name}' up in ${seconds(started)}`);
}

export async function down(profile: Profile, names: readonly ServerName[] = SERVER_NAMES, say: Say = () => {}): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      await serverOf(profile, name).stop(profile);
      say(`${name} stopped`);
    }),
  );
}

export async function status(profile: Profile): Promise<Record<ServerName, boolean>> {
  const entries = await Promise.all(SERVER_NAMES.map(async (name) => [name, await serverOf(profile, name).healthy(profile)] as const));
  return Object.fromEntries(entries) as Record<ServerName, boolean>;
}
