export { enrichmentSweepWorkflow } from './enrichment';
export { entityWorkflow } from './entity';
export { pingWorkflow } from './ping';
