import { parseUri } from '../../domain/uri';
import type { Db } from '../../store/database';
import { bulkLoadGraph } from '../../store/bulk-load';
import { generateWorld } from '../../demo/world/generate';
import { groundTruth, type GroundTruth } from '../../demo/world/truth';
import { resetDatabase } from '../../test/support/harness';

/** A generated world of about `size` entities, its ground truth, loaded in bulk into an empty graph. */
export async function loadGeneratedGraph(db: Db, size: number, say: (m: string) => void): Promise<GroundTruth> {
  const t = Date.now();
  const truth = groundTruth(generateWorld({ seed: 7, size }));
  say(`generated ${truth.entities.length} entities and ${truth.edges.length} edges in ${Date.now() - t} ms`);
  await loadTruthGraph(db, truth, say);
  return truth;
}

/** A world's ground truth loaded in bulk into an empty graph. */
export async function loadTruthGraph(db: Db, truth: GroundTruth, say: (m: string) => void): Promise<void> {
  await resetDatabase(db);
  let last = 0;
  const entities = truth.entities.map((e) => ({ ...e, nativeId: parseUri(e.uri).nativeId }));
  await bulkLoadGraph(db, { entities, edges: truth.edges }, (done, total) => {
    if (done - last >= total / 10 || done === total) {
      say(`loaded ${done} of ${total} rows`);
      last = done;
    }
  });
}
