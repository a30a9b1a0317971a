import { z } from 'zod';
import { attributesOf } from '../../domain/normalize';
import { defineConnector, edge, entity, labelsSchema, ownedEntity, ownerEmailsSchema, ptr, segment } from '../connector';

const pipeline = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullable().default(null),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

const run = z.looseObject({
  run_id: z.string().min(1),
  pipeline: z.string().min(1),
  input_datasets: z.array(z.string().min(1)).default([]),
  output_datasets: z.array(z.string().min(1)).default([]),
  ab_test_cells: z.array(z.looseObject({ test_id: z.string().min(1), cell_number: z.number().int() })).default([]),
});

/** The pipeline orchestrator: pipelines and their runs. */
export const orchestrator = defineConnector({
  source: 'orchestrator',
  events: {
    pipeline_created: { idField: 'pipeline_id', entityType: 'pipeline' },
    pipeline_updated: { idField: 'pipeline_id', entityType: 'pipeline' },
    pipeline_run_started: { idField: 'run_id', entityType: 'pipeline-run' },
    pipeline_run_completed: { idField: 'run_id', entityType: 'pipeline-run' },
    pipeline_run_failed: { idField: 'run_id', entityType: 'pipeline-run' },
  },
  entities: {
    pipeline: {
      list: '/api/v1/pipelines',
      path: (id) => `/api/v1/pipelines/${segment(id)}`,
      normalize: (payload) => {
        const p = pipeline.parse(payload);
        return ownedEntity('pipeline', p.id, p, ['id']);
      },
    },
    'pipeline-run': {
      list: '/api/v1/pipeline-runs',
      path: (id) => `/api/v1/pipeline-runs/${segment(id)}`,
      normalize(payload) {
        const p = run.parse(payload);
        const self = ptr('pipeline-run', p.run_id);
        return {
          // The cells' names belong to the experimentation platform; the run only points at the cells.
          primary: entity('pipeline-run', p.run_id, {
            name: p.run_id,
            attributes: attributesOf(p, ['run_id', 'pipeline', 'input_datasets', 'output_datasets', 'ab_test_cells']),
          }),
          dependents: [],
          edges: [
            edge(self, 'run_of', ptr('pipeline', p.pipeline)),
            ...p.input_datasets.map((id) => edge(self, 'reads', ptr('dataset', id))),
            ...p.output_datasets.map((id) => edge(self, 'writes', ptr('dataset', id))),
            ...p.ab_test_cells.map((cell) => edge(self, 'executed_for', ptr('ab-test-cell', `${cell.test_id}.${cell.cell_number}`))),
          ],
        };
      },
    },
  },
});
