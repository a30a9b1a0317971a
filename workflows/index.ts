export { enrichmentSweepWorkflow } from './enrichment';
export { entityWorkflow } from './entity';
export { noopWorkflow, pingWorkflow } from './ping';
export { openLineageWorkflow } from './openlineage';
export { syncAllWorkflow, syncWorkflow } from './sync';
