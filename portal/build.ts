import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PORTAL_DIST, PORTAL_ROOT } from './paths';

const STAMP = '.source-hash';
const INPUTS = ['index.html', 'build.ts', 'src', path.join('..', 'package-lock.json')];

function filesUnder(entry: string): string[] {
  const full = path.join(PORTAL_ROOT, entry);
  if (!fs.statSync(full).isDirectory()) return [full];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .flatMap((d) => (d.isFile() ? [path.join(d.parentPath, d.name)] : []));
}

/** A hash of everything the bundle is built from, so that an unchanged portal is not rebuilt. */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder).sort()) hash.update(file).update(fs.readFileSync(file));
  return hash.digest('hex');
}

/**
 * Builds the portal into dist/portal with Vite unless the build there is of the same sources.
 * `npm start` and the end-to-end tests call it; a warm machine skips the build.
 */
export async function buildPortal(): Promise<{ built: boolean; dir: string }> {
  const hash = sourceHash();
  const stamp = path.join(PORTAL_DIST, STAMP);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return { built: false, dir: PORTAL_DIST };
  const [{ build }, { default: react }] = await Promise.all([import('vite'), import('@vitejs/plugin-react')]);
  await build({
    configFile: false,
    root: PORTAL_ROOT,
    plugins: [react()],
    logLevel: 'warn',
    build: { outDir: PORTAL_DIST, emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  });
  fs.writeFileSync(stamp, hash);
  return { built: true, dir: PORTAL_DIST };
}
