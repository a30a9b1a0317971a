import { z } from 'zod';
import { attributesOf } from '../../domain/normalize';
import { defineConnector, edge, entity, labelsSchema, ownedEntity, ownerEdges, ownerEmailsSchema, ptr, segment } from '../connector';

const model = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullable().default(null),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

const instance = z.looseObject({
  id: z.string().min(1),
  model_id: z.string().min(1),
  version: z.string(),
  pipeline_run_id: z.string().min(1).nullable().default(null),
  feature_ids: z.array(z.string().min(1)).default([]),
  deployed_to: z.array(z.string().min(1)).default([]),
  status: z.string(),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

const service = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullable().default(null),
  owner_emails: ownerEmailsSchema,
  labels: labelsSchema,
});

/** The model registry: models, their instances, and the services instances are deployed to. */
export const registry = defineConnector({
  source: 'registry',
  events: {
    model_created: { idField: 'model_id', entityType: 'model' },
    model_updated: { idField: 'model_id', entityType: 'model' },
    model_instance_created: { idField: 'instance_id', entityType: 'model-instance' },
    model_instance_updated: { idField: 'instance_id', entityType: 'model-instance' },
    model_instance_deployed: { idField: 'instance_id', entityType: 'model-instance' },
    model_instance_deleted: { idField: 'instance_id', entityType: 'model-instance', deletes: true },
    service_updated: { idField: 'service_name', entityType: 'service' },
  },
  entities: {
    model: {
      list: '/api/v1/models',
      path: (id) => `/api/v1/models/${segment(id)}`,
      normalize: (payload) => {
        const p = model.parse(payload);
        return ownedEntity('model', p.id, p, ['id']);
      },
    },
    'model-instance': {
      list: '/api/v1/instances',
      path: (id) => `/api/v1/instances/${segment(id)}`,
      normalize(payload) {
        const p = instance.parse(payload);
        const self = ptr('model-instance', p.id);
        return {
          primary: entity('model-instance', p.id, {
            name: `${p.model_id} ${p.version}`,
            labels: p.labels,
            attributes: attributesOf(p, ['id', 'model_id', 'pipeline_run_id', 'feature_ids', 'deployed_to', 'owner_emails', 'labels']),
          }),
          dependents: [],
          edges: [
            edge(self, 'version_of', ptr('model', p.model_id)),
            ...(p.pipeline_run_id ? [edge(self, 'produced_by', ptr('pipeline-run', p.pipeline_run_id))] : []),
            ...p.feature_ids.map((id) => edge(self, 'uses_feature', ptr('feature', id))),
            ...p.deployed_to.map((name) => edge(self, 'deployed_to', ptr('service', name))),
            ...ownerEdges(self, p.owner_emails),
          ],
        };
      },
    },
    service: {
      list: '/api/v1/services',
      path: (name) => `/api/v1/services/${segment(name)}`,
      normalize: (payload) => {
        const p = service.parse(payload);
        return ownedEntity('service', p.name, p, []);
      },
    },
  },
});
