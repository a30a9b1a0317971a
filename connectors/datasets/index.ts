import { z } from 'zod';
import { defineConnector, edge, labelsSchema, ownedEntity, ownerEmailsSchema, ptr, segment } from '../connector';

const dataset = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullable().default(null),
  producer_pipeline_id: z.string().min(1).nullable().default(null),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

/** The dataset catalog: datasets and the pipelines that produce them. */
export const datasets = defineConnector({
  source: 'datasets',
  events: {
    dataset_created: { idField: 'dataset_id', entityType: 'dataset' },
    dataset_updated: { idField: 'dataset_id', entityType: 'dataset' },
    dataset_version_created: { idField: 'dataset_id', entityType: 'dataset' },
  },
  entities: {
    dataset: {
      list: '/api/v1/datasets',
      path: (id) => `/api/v1/datasets/${segment(id)}`,
      normalize: (payload) => {
        const p = dataset.parse(payload);
        return ownedEntity('dataset', p.id, p, ['id', 'producer_pipeline_id'], (self) =>
          p.producer_pipeline_id ? [edge(self, 'produced_by', ptr('pipeline', p.producer_pipeline_id))] : [],
        );
      },
    },
  },
});
