import type { DeclaredEdge, Json, NormalizedEntity, Pointer } from '../../domain/entity';
import { MLFLOW, type EntityType } from '../../domain/vocabulary';
import { defineConnector, edge, entity, type ListingProtocol } from '../connector';
import { experiment, modelVersion, registeredModel, run, unwrap } from './payloads';

/**
 * MLflow (tracking server and model registry) through its REST API, `/api/2.0/mlflow/...`:
 * registered models → `model`, model versions → `model-instance`, runs → `pipeline-run`, experiments →
 * `pipeline`, the datasets runs log as inputs → `dataset`. docs/mlflow.md says what each field becomes.
 */

const API = '/api/2.0/mlflow';
const q = (params: Record<string, string>): string => new URLSearchParams(params).toString();
const at = (type: EntityType, nativeId: string): Pointer => ({ type, nativeId, source: MLFLOW });
const own = (type: EntityType, nativeId: string, fields: Parameters<typeof entity>[2]): NormalizedEntity => ({
  ...entity(type, nativeId, fields),
  source: MLFLOW,
});

/** A model version's id in the graph: `{model name}/{version}`. */
export const versionId = (name: string, version: string): string => `${name}/${version}`;
const parseVersionId = (id: string): { name: string; version: string } => {
  const cut = id.lastIndexOf('/');
  return { name: id.slice(0, cut), version: id.slice(cut + 1) };
};
/** A logged dataset's id in the graph: its name and content digest, as MLflow identifies it. */
export const datasetId = (name: string, digest: string): string => `${name}@${digest}`;

const iso = (millis: number | string | null | undefined): string | null => {
  const n = Number(millis);
  return millis === null || millis === undefined || millis === '' || !Number.isFinite(n) ? null : new Date(n).toISOString();
};
/** MLflow's own bookkeeping tags (`mlflow.*`) are not the user's labels. */
const userTags = (tags: readonly { key: string; value: string }[]) => tags.filter((t) => !t.key.startsWith('mlflow.'));
/** A user id is an email where MLflow has authentication, a login name otherwise: either resolves through identity. */
const ownerEdges = (subject: Pointer, userId: string | null | undefined): DeclaredEdge[] =>
  !userId ? [] : [edge(subject, 'owned_by', userId.includes('@') ? { type: 'user', email: userId } : { type: 'user', nativeId: userId })];

/** Where a logged dataset lives: the `uri` (or `url`, `path`) of its JSON source descriptor. */
function locationOf(source: string | null | undefined): string | null {
  if (!source) return null;
  try {
    const parsed = JSON.parse(source) as Record<string, unknown>;
    const found = [parsed.uri, parsed.url, parsed.path, parsed.location].find((v) => typeof v === 'string');
    return typeof found === 'string' ? found : null;
  } catch {
    return source;
  }
}
const jsonOrText = (text: string | null | undefined): Json => {
  if (!text) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
};

/** MLflow's `search` endpoints: `?max_results=&page_token=`, answered `{<things>: [...], next_page_token}`. */
const listing: ListingProtocol = {
  query: (request) => ({ max_results: String(request.limit), ...(request.pageToken ? { page_token: request.pageToken } : {}) }),
  read: (payload) => {
    if (!payload || typeof payload !== 'object') return null;
    const record = payload as Record<string, unknown>;
    const items = Object.values(record).find(Array.isArray) ?? [];
    const next = record.next_page_token;
    return { items, nextPageToken: typeof next === 'string' && next !== '' ? next : null };
  },
};

export const mlflow = defineConnector({
  source: MLFLOW,
  listing,
  // What a registry webhook delivery becomes (api/routes/webhooks.ts): MLflow sends no event for runs,
  // experiments or deletions; those are reached through the versions, the sweep and full syncs.
  events: {
    'mlflow.registered_model.created': { idField: 'model_name', entityType: 'model' },
    'mlflow.model_version.created': { idField: 'model_version', entityType: 'model-instance' },
    'mlflow.model_version_tag.set': { idField: 'model_version', entityType: 'model-instance' },
    'mlflow.model_version_tag.deleted': { idField: 'model_version', entityType: 'model-instance' },
    // Aliases are the registered model's (alias → version), as MLflow keeps them: its search of versions omits them.
    'mlflow.model_version_alias.created': { idField: 'model_name', entityType: 'model' },
    'mlflow.model_version_alias.deleted': { idField: 'model_name', entityType: 'model' },
  },
  entities: {
    model: {
      list: `${API}/registered-models/search`,
      path: (name) => `${API}/registered-models/get?${q({ name })}`,
      normalize(payload) {
        const p = registeredModel.parse(unwrap(payload, 'registered_model'));
        const self = at('model', p.name);
        return {
          primary: own('model', p.name, {
            name: p.name,
            description: p.description || null,
            labels: userTags(p.tags),
            attributes: {
              aliases: Object.fromEntries(p.aliases.map((a) => [a.alias, a.version])),
              createdAt: iso(p.creation_timestamp),
              updatedAt: iso(p.last_updated_timestamp),
            },
          }),
          dependents: [],
          edges: ownerEdges(self, p.user_id),
        };
      },
    },
    'model-instance': {
      list: `${API}/model-versions/search`,
      path: (id) => `${API}/model-versions/get?${q(parseVersionId(id))}`,
      normalize(payload) {
        const p = modelVersion.parse(unwrap(payload, 'model_version'));
        const id = versionId(p.name, p.version);
        const self = at('model-instance', id);
        return {
          primary: own('model-instance', id, {
            name: `${p.name} v${p.version}`,
            description: p.description || null,
            labels: userTags(p.tags),
            attributes: {
              version: p.version,
              status: p.status ?? null,
              stage: p.current_stage ?? null,
              sourceUri: p.source ?? null,
              createdAt: iso(p.creation_timestamp),
              updatedAt: iso(p.last_updated_timestamp),
            },
          }),
          dependents: [],
          edges: [
            edge(self, 'version_of', at('model', p.name)),
            ...(p.run_id ? [edge(self, 'produced_by', at('pipeline-run', p.run_id))] : []),
            ...ownerEdges(self, p.user_id),
          ],
        };
      },
    },
    'pipeline-run': {
      path: (runId) => `${API}/runs/get?${q({ run_id: runId })}`,
      normalize(payload) {
        const p = run.parse(unwrap(payload, 'run'));
        const { info, data } = p;
        const self = at('pipeline-run', info.run_id);
        // Each input dataset is fully described by the run that logged it: a dependent of the run.
        const datasets = p.inputs.dataset_inputs.map(({ dataset, tags }) =>
          own('dataset', datasetId(dataset.name, dataset.digest), {
            name: dataset.name,
            lookupKey: info.run_id,
            attributes: {
              digest: dataset.digest,
              sourceType: dataset.source_type ?? null,
              location: locationOf(dataset.source),
              schema: jsonOrText(dataset.schema),
              profile: jsonOrText(dataset.profile),
              context: tags.find((t) => t.key === 'mlflow.data.context')?.value ?? null,
            },
          }),
        );
        return {
          primary: own('pipeline-run', info.run_id, {
            name: info.run_name || info.run_id,
            labels: userTags(data.tags),
            attributes: {
              status: info.status ?? null,
              startedAt: iso(info.start_time),
              endedAt: iso(info.end_time),
              lifecycleStage: info.lifecycle_stage ?? null,
              artifactUri: info.artifact_uri ?? null,
              params: Object.fromEntries(data.params.map((x) => [x.key, x.value])),
              metrics: Object.fromEntries(data.metrics.map((m) => [m.key, m.value])),
            },
          }),
          dependents: datasets,
          edges: [
            edge(self, 'run_of', at('pipeline', info.experiment_id)),
            ...datasets.map((d) => edge(self, 'reads', at('dataset', d.nativeId))),
            ...ownerEdges(self, info.user_id),
          ],
        };
      },
    },
    pipeline: {
      list: `${API}/experiments/search`,
      path: (id) => `${API}/experiments/get?${q({ experiment_id: id })}`,
      normalize(payload) {
        const p = experiment.parse(unwrap(payload, 'experiment'));
        return {
          primary: own('pipeline', p.experiment_id, {
            name: p.name,
            description: p.tags.find((t) => t.key === 'mlflow.note.content')?.value ?? null,
            labels: userTags(p.tags),
            attributes: {
              artifactLocation: p.artifact_location ?? null,
              lifecycleStage: p.lifecycle_stage ?? null,
              createdAt: iso(p.creation_time),
              updatedAt: iso(p.last_update_time),
            },
          }),
          dependents: [],
          edges: [],
        };
      },
    },
    // A logged dataset has no endpoint: it is described again by hydrating the run that logged it.
    dataset: { via: (runId) => ({ type: 'pipeline-run', lookupKey: runId }) },
  },
});
