import { loadLocalStackSettings } from '../platform/config';
import os from 'node:os';
import path from 'node:path';
import type { ProfileName } from './profiles';

/**
 * Everything the stack downloads or builds lives in one cache outside the repo, so a warm machine
 * starts fast. As root the cache sits under /var/cache: root's home is private, and Elasticsearch
 * must run as an unprivileged user that can read its installation.
 */
export function cacheDir(): string {
  const explicit = loadLocalStackSettings().cacheDir;
  if (explicit) return path.resolve(explicit);
  if (process.getuid?.() === 0) return '/var/cache/mlg';
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'mlg');
}

export function profileDir(profile: ProfileName): string {
  return path.join(cacheDir(), 'profiles', profile);
}

export function serverDir(profile: ProfileName, server: string): string {
  return path.join(profileDir(profile), server);
}

export function logFile(profile: ProfileName, server: string): string {
  return path.join(profileDir(profile), 'logs', `${server}.log`);
}

export function pidFile(profile: ProfileName, server: string): string {
  return path.join(profileDir(profile), 'run', `${server}.pid`);
}
