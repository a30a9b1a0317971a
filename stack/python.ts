import fs from 'node:fs';
import path from 'node:path';
import { cacheDir } from './paths';
import { run } from './shell';

/**
 * A Python package from PyPI in a virtual environment of its own, under the cache (outside the
 * repository), created once per version: what the fuzzer (schemathesis) and the OpenLineage client
 * test (openlineage-python) run with. Resolves to the environment's directory.
 */
export async function ensurePythonPackage(name: string, version: string): Promise<string> {
  const venv = path.join(cacheDir(), 'venvs', `${name}-${version}`);
  const marker = path.join(venv, '.installed');
  if (!fs.existsSync(marker)) {
    fs.rmSync(venv, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', venv]);
    await run(path.join(venv, 'bin', 'pip'), ['install', '-q', `${name}==${version}`]);
    fs.writeFileSync(marker, `${name}==${version}\n`);
  }
  return venv;
}
