export { entityWorkflow } from './entity';
export { pingWorkflow } from './ping';
