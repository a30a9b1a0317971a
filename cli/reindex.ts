import { Presets, SingleBar } from 'cli-progress';
import { rebuildIndices } from '../search/rebuild';
import { answer, asOperator, EXIT, type Output } from './context';

/** `mlg reindex`: rebuilds the search indices from PostgreSQL into new ones and switches to them; searches answer throughout. */
export async function reindexCommand(out: Output): Promise<number> {
  return asOperator('reindex', null, async (services, config) => {
    const bar = out.tty
      ? new SingleBar({ format: 'reindex {bar} {value}/{total} entities | {eta_formatted} left', hideCursor: true }, Presets.shades_classic)
      : null;
    let lastLine = 0;
    const result = await rebuildIndices(services.db, services.search, config.elasticsearch.indexPrefix, ({ total, done }) => {
      if (bar) {
        if (done === 0) bar.start(total, 0);
        else bar.update(done, { total });
        bar.setTotal(total);
      } else if (!out.json && (done === total || Date.now() - lastLine > 2_000)) {
        console.log(`reindex: ${done} of ${total} entities`);
        lastLine = Date.now();
      }
    });
    bar?.stop();
    answer(out, result, () => [
      `reindexed ${result.entities} entities in ${result.seconds.toFixed(1)} s and switched to the new indices; ${result.caughtUp} written again for changes made meanwhile`,
    ]);
    return EXIT.ok;
  });
}
