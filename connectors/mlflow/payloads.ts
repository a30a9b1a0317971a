import { z } from 'zod';

/** MLflow's REST API (`/api/2.0/mlflow/...`): the fields the graph reads; everything else passes through. */

const keyValues = z.array(z.looseObject({ key: z.string(), value: z.string().default('') })).default([]);
const millis = z.union([z.number(), z.string()]).nullish();

export const registeredModel = z.looseObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  user_id: z.string().nullish(),
  creation_timestamp: millis,
  last_updated_timestamp: millis,
  tags: keyValues,
  aliases: z.array(z.looseObject({ alias: z.string(), version: z.string() })).default([]),
});

export const modelVersion = z.looseObject({
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().nullish(),
  user_id: z.string().nullish(),
  creation_timestamp: millis,
  last_updated_timestamp: millis,
  current_stage: z.string().nullish(),
  status: z.string().nullish(),
  source: z.string().nullish(),
  run_id: z.string().nullish(),
  tags: keyValues,
});

const datasetInput = z.looseObject({
  tags: keyValues,
  dataset: z.looseObject({
    name: z.string().min(1),
    digest: z.string().min(1),
    source_type: z.string().nullish(),
    source: z.string().nullish(),
    schema: z.string().nullish(),
    profile: z.string().nullish(),
  }),
});

export const run = z.looseObject({
  info: z.looseObject({
    run_id: z.string().min(1),
    run_name: z.string().nullish(),
    experiment_id: z.string().min(1),
    user_id: z.string().nullish(),
    status: z.string().nullish(),
    start_time: millis,
    end_time: millis,
    lifecycle_stage: z.string().nullish(),
    artifact_uri: z.string().nullish(),
  }),
  data: z
    .looseObject({
      metrics: z.array(z.looseObject({ key: z.string(), value: z.number().nullable(), step: z.coerce.number().nullish() })).default([]),
      params: keyValues,
      tags: keyValues,
    })
    .default({ metrics: [], params: [], tags: [] }),
  inputs: z.looseObject({ dataset_inputs: z.array(datasetInput).default([]) }).default({ dataset_inputs: [] }),
});

export const experiment = z.looseObject({
  experiment_id: z.string().min(1),
  name: z.string().min(1),
  artifact_location: z.string().nullish(),
  lifecycle_stage: z.string().nullish(),
  creation_time: millis,
  last_update_time: millis,
  tags: keyValues,
});

/** A `get` answer wraps the entity (`{"registered_model": {...}}`); a `search` page lists them bare. */
export const unwrap = (payload: unknown, key: string): unknown =>
  payload && typeof payload === 'object' && key in payload ? (payload as Record<string, unknown>)[key] : payload;
