export { enrichmentSweepWorkflow } from './enrichment';
export { entityWorkflow } from './entity';
export { noopWorkflow, pingWorkflow } from './ping';
export { syncAllWorkflow, syncWorkflow } from './sync';
