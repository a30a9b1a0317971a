import { loadLocalStackSettings } from '../platform/config';
import fs from 'node:fs';
import { isRoot, run, StackError } from './shell';

/** Debian's chromium: the browser the portal's end-to-end tests and benchmark drive (nothing downloads one). */
export const CHROMIUM_PATH = loadLocalStackSettings().chromium;

/**
 * Installs Debian's `chromium` package on first use (as root, from the distribution's registry) and
 * returns the browser's path. A machine that has it already starts at once.
 */
export async function ensureChromium(): Promise<string> {
  if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  if (!isRoot()) throw new StackError(`no browser at ${CHROMIUM_PATH}: install Debian's chromium package (apt-get install chromium)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-q'], { env });
  await run('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { env });
  if (!fs.existsSync(CHROMIUM_PATH)) throw new StackError(`apt-get installed chromium, but not at ${CHROMIUM_PATH}`);
  return CHROMIUM_PATH;
}
