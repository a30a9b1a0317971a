import { z } from 'zod';
import { attributesOf } from '../../domain/normalize';
import { defineConnector, edge, entity, labelsSchema, ownerEdges, ownerEmailsSchema, ptr, segment } from '../connector';

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
      path: (id) => `/api/v1/datasets/${segment(id)}`,
      normalize(payload) {
        const p = dataset.parse(payload);
        const self = ptr('dataset', p.id);
        return {
          primary: entity('dataset', p.id, { name: p.name, description: p.description, labels: p.labels, attributes: attributesOf(p, ['id', 'name', 'description', 'producer_pipeline_id', 'owner_emails', 'labels']) }),
          dependents: [],
          edges: [...(p.producer_pipeline_id ? [edge(self, 'produced_by', ptr('pipeline', p.producer_pipeline_id))] : []), ...ownerEdges(self, p.owner_emails)],
        };
      },
    },
  },
});
