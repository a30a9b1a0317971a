import { runSweepAndWait, triggerEnrichment } from '../temporal/enrichment-schedule';
import { answer, asOperator, EXIT, type Output } from './context';

/** `mlg enrich [--wait]`: runs an enrichment sweep now (never two at once) and, with --wait, prints what it did. */
export async function enrichCommand(opts: { wait: boolean }, out: Output): Promise<number> {
  return asOperator('enrichment.run', null, async (services, config) => {
    const ui = `${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`;
    if (!opts.wait) {
      const { workflowId } = await triggerEnrichment(services.temporal.client, config);
      answer(out, { workflowId }, () => [`enrichment sweep running (${workflowId}); watch it in ${ui}`]);
      return EXIT.ok;
    }
    if (!out.json) console.log('sweeping…');
    const counts = await runSweepAndWait(services.temporal.client, config);
    answer(out, counts, () => [
      `${counts.candidates} candidates: ${counts.hydrated} sent to hydrate, ${counts.inferred} edges inferred, ${counts.retracted} retracted, ${counts.enriched} enriched; quality of ${counts.assessed} assessed, ${counts.signalsOpened} signals opened, ${counts.signalsClosed} closed`,
    ]);
    return EXIT.ok;
  });
}
