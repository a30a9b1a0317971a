/**
 * The local stack's command line: `npm run stack -- up|down|status|logs|env [server ...] [--profile dev|test|cluster]`.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { logFile } from './paths';
import { isProfileName, PROFILES, profileEnv } from './profiles';
import { SERVER_NAMES, type ServerName } from './server';
import { tail } from './shell';
import { down, status, up } from './stack';

const USAGE =
  'usage: npm run stack -- up|down|status|logs|env [postgres|elasticsearch|kafka|temporal ...] [--profile dev|test|cluster|secure] [--fresh]';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { profile: { type: 'string', default: 'dev' }, fresh: { type: 'boolean', default: false } },
  });
  const [command, ...rest] = positionals;
  if (!isProfileName(values.profile))
    throw new Error(`--profile must be one of ${Object.keys(PROFILES).join(', ')}, not '${values.profile}'`);
  const profile = PROFILES[values.profile];
  const unknown = rest.filter((name) => !(SERVER_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown server(s): ${unknown.join(', ')}; choose from ${SERVER_NAMES.join(', ')}`);
  const names = rest.length > 0 ? (rest as ServerName[]) : SERVER_NAMES;
  const say = (message: string): void => console.log(`[stack] ${message}`);
  switch (command) {
    case 'up':
      await up(profile, names, say, { fresh: values.fresh });
      return 0;
    case 'down':
      await down(profile, names, say);
      return 0;
    case 'status': {
      const health = await status(profile);
      for (const name of names) console.log(`${name.padEnd(14)} ${health[name] ? 'up' : 'down'}   log: ${logFile(profile.name, name)}`);
      return names.every((name) => health[name]) ? 0 : 1;
    }
    case 'logs':
      for (const name of names) {
        const file = logFile(profile.name, name);
        console.log(`==> ${file}${fs.existsSync(file) ? '' : ' (missing)'}`);
        console.log(tail(file, 40));
      }
      return 0;
    case 'env':
      // For `eval "$(npm run -s stack -- env --profile cluster)"`: the service's processes then use that profile's servers.
      for (const [key, value] of Object.entries(profileEnv(profile))) console.log(`export ${key}=${value}`);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[stack] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
