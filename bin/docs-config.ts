/**
 * `npm run docs:config`: writes the README's configuration tables from the settings' declarations
 * (platform/config.ts); `--check` only says whether the README is current.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { README, renderReadme } from './config-docs';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const current = fs.readFileSync(README, 'utf8');
  const rendered = await renderReadme(current);
  if (values.check) {
    if (rendered !== current) {
      console.error('README.md: the configuration tables are out of date; run npm run docs:config');
      process.exit(1);
    }
    console.log('README.md: the configuration tables are current');
    return;
  }
  fs.writeFileSync(README, rendered);
  console.log(rendered === current ? 'README.md: already current' : 'README.md: configuration tables written');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
