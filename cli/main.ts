import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SOURCE_NAMES } from '../domain/vocabulary';
import { isDatabaseUnavailable } from '../store/database';
import { isTemporalUnavailable } from '../temporal/connection';
import { AUDIT_OUTCOMES, type AuditOutcome } from '../platform/audit';
import { auditCommand } from './audit';
import { CommandError, EXIT, outputOf } from './context';
import { dlqList, dlqPurge, dlqReplay, dlqShow } from './dlq';
import { enrichCommand } from './enrich';
import { reindexCommand } from './reindex';
import { statusCommand } from './status';
import { syncCommand } from './sync';

const json = () => new Option('--json', 'print one JSON document (for scripts) instead of lines for people');

function time(value: string): Date {
  const at = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at.getTime()))
    throw new InvalidArgumentError('give an ISO-8601 time, e.g. 2026-11-23T12:00:00Z');
  return at;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('give a whole number from 1 to 1000');
  return n;
}

/** The operator's command line: `mlg <command>`; each command says what it does with --help. */
export function program(): Command {
  let exitCode: number = EXIT.ok;
  const run = async (action: Promise<number>): Promise<void> => {
    exitCode = await action;
  };
  const root = new Command('mlg')
    .description('Operate the Model Lifecycle Graph: reconcile with sources, enrich, reindex, dead letters, status.')
    .showHelpAfterError()
    .exitOverride();

  root
    .command('sync')
    .description(
      `Reconcile the graph with sources through their listings (default: every one configured here, of ${SOURCE_NAMES.join(', ')}).`,
    )
    .argument('[source...]', 'sources to sync')
    .option('--full', 'list everything and mark deleted what the source no longer lists (default: only what changed since the last sync)')
    .option('--since <time>', 'list only what changed since this time', time)
    .option('--force', 'with --full: delete even when more than the allowed share of a source would go')
    .option('--wait', 'follow the syncs to the end, with progress')
    .addOption(json())
    .action((sources: string[], o: { full?: boolean; since?: Date; force?: boolean; wait?: boolean; json?: boolean }) =>
      run(
        syncCommand(
          sources,
          { full: o.full === true, since: o.since ?? null, force: o.force === true, wait: o.wait === true },
          outputOf(o),
        ),
      ),
    );

  root
    .command('status')
    .description('The servers, events waiting, running workflows by kind, the last sync of each source, dead letters.')
    .addOption(json())
    .action((o: { json?: boolean }) => run(statusCommand(outputOf(o))));

  root
    .command('enrich')
    .description('Run an enrichment sweep now: hydrate placeholders and stale entities, infer and retract edges.')
    .option('--wait', 'wait for the sweep and print what it did')
    .addOption(json())
    .action((o: { wait?: boolean; json?: boolean }) => run(enrichCommand({ wait: o.wait === true }, outputOf(o))));

  root
    .command('reindex')
    .description('Rebuild the search indices from PostgreSQL into new ones and switch to them; searches answer throughout.')
    .addOption(json())
    .action((o: { json?: boolean }) => run(reindexCommand(outputOf(o))));

  const dlq = root.command('dlq').description('Events refused as invalid, kept in the dead-letter topic with their reason.');
  dlq
    .command('list')
    .description('List the dead-lettered events with their reasons.')
    .addOption(json())
    .action((o: { json?: boolean }) => run(dlqList(outputOf(o))));
  dlq
    .command('show')
    .description('Show one dead-lettered event in full.')
    .argument('<position>', 'partition:offset, as dlq list shows it')
    .addOption(json())
    .action((at: string, o: { json?: boolean }) => run(dlqShow(at, outputOf(o))));
  dlq
    .command('replay')
    .description('Validate each dead-lettered event again: send the valid ones to be processed, keep the others with their reason.')
    .addOption(json())
    .action((o: { json?: boolean }) => run(dlqReplay(outputOf(o))));
  dlq
    .command('purge')
    .description('Delete every dead-lettered event.')
    .option('--yes', 'really delete them')
    .addOption(json())
    .action((o: { yes?: boolean; json?: boolean }) => run(dlqPurge({ yes: o.yes === true }, outputOf(o))));

  root
    .command('audit')
    .description('The audit trail, newest first: every write, operator action and refused credential, with who, when and from where.')
    .option('--actor <name>', 'only this token name, OIDC subject or operator')
    .option('--action <action>', 'only this action (events.post, sync, dlq.purge, credentials.refused, …)')
    .addOption(new Option('--outcome <outcome>', 'only this outcome').choices(AUDIT_OUTCOMES))
    .option('--since <time>', 'only since this time', time)
    .option('--limit <n>', 'at most this many entries', positive, 50)
    .addOption(json())
    .action((o: { actor?: string; action?: string; outcome?: AuditOutcome; since?: Date; limit: number; json?: boolean }) =>
      run(auditCommand({ actor: o.actor, action: o.action, outcome: o.outcome, since: o.since, limit: o.limit }, outputOf(o))),
    );

  return Object.assign(root, { exitCode: () => exitCode });
}

/** Runs the command line and resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const cli = program() as Command & { exitCode: () => number };
  try {
    await cli.parseAsync([...argv], { from: 'user' });
    return cli.exitCode();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (error instanceof CommandError) {
      console.error(`mlg: ${error.message}`);
      return error.exitCode;
    }
    if (isDatabaseUnavailable(error) || isTemporalUnavailable(error)) {
      console.error(`mlg: a server is away: ${(error as Error).message}. mlg status says which.`);
      return EXIT.unavailable;
    }
    throw error;
  }
}
