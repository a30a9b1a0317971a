import { z } from 'zod';
import { defineConnector, edge, labelsSchema, ownedEntity, ownerEmailsSchema, ptr, segment } from '../connector';

const feature = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullable().default(null),
  source_dataset_ids: z.array(z.string().min(1)).default([]),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

/** The feature store: features and the datasets they are derived from. */
export const featurestore = defineConnector({
  source: 'featurestore',
  events: {
    feature_created: { idField: 'feature_id', entityType: 'feature' },
    feature_updated: { idField: 'feature_id', entityType: 'feature' },
    feature_version_created: { idField: 'feature_id', entityType: 'feature' },
  },
  entities: {
    feature: {
      list: '/api/v1/features',
      path: (id) => `/api/v1/features/${segment(id)}`,
      normalize: (payload) => {
        const p = feature.parse(payload);
        return ownedEntity('feature', p.id, p, ['id', 'source_dataset_ids'], (self) =>
          p.source_dataset_ids.map((id) => edge(self, 'derived_from', ptr('dataset', id))),
        );
      },
    },
  },
});
