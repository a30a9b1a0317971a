#!/usr/bin/env tsx
/** `npx mlg <command>`: the operator's command line (cli/). */
import { main } from '../cli/main';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
