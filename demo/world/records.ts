/**
 * The records the six demo source systems hold, exactly in the wire shape of the reference contract
 * (snake_case, as the source APIs answer). The world stores them as served.
 */
export interface Label {
  key: string;
  value: string;
}

export interface ModelRecord {
  id: string;
  name: string;
  description: string;
  owner_emails: string[];
  labels: Label[];
  created_at: string;
  updated_at: string;
}

export interface InstanceRecord {
  id: string;
  model_id: string;
  version: string;
  pipeline_run_id: string | null;
  feature_ids: string[];
  deployed_to: string[];
  status: 'staged' | 'released' | 'retired';
  owner_emails: string[];
  labels: Label[];
  created_at: string;
  updated_at: string;
}

export interface ServiceRecord {
  name: string;
  description: string;
  owner_emails: string[];
  labels: Label[];
  created_at: string;
  updated_at: string;
}

export interface PipelineRecord {
  id: string;
  name: string;
  description: string;
  schedule: string;
  owner_emails: string[];
  labels: Label[];
  created_at: string;
  updated_at: string;
}

export interface RunCell {
  test_id: string;
  cell_number: number;
  cell_name: string;
}

export interface RunRecord {
  run_id: string;
  pipeline: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  started_at: string;
  ended_at: string | null;
  input_datasets: string[];
  output_datasets: string[];
  ab_test_cells: RunCell[];
  attempts: number;
}

export interface FeatureRecord {
  id: string;
  name: string;
  description: string;
  value_type: string;
  source_dataset_ids: string[];
  version: number;
  owner_emails: string[];
  labels: Label[];
  created_at: string;
  updated_at: string;
}

export interface TestRecord {
  test_id: string;
  name: string;
  description: string;
  status: 'DRAFT' | 'ACTIVE' | 'COMPLETED';
  cells: { cell_number: number; name: string }[];
  owner_emails: string[];
  labels: Label[];
  start_date: string;
  end_date: string | null;
}

export interface DatasetRecord {
  id: string;
  name: string;
  description: string;
  location: string;
  schema: { name: string; type: string }[];
  latest_version: number;
  producer_pipeline_id: string | null;
  owner_emails: string[];
  labels: Label[];
  created_at: string;
  updated_at: string;
}

export interface UserRecord {
  email: string;
  username: string;
  display_name: string;
  team_ids: string[];
  active: boolean;
}

export interface TeamRecord {
  id: string;
  name: string;
  member_emails: string[];
  parent_team_id: string | null;
}

/** Every collection of the world, keyed by the id its source serves it under. */
export interface Collections {
  models: Map<string, ModelRecord>;
  instances: Map<string, InstanceRecord>;
  services: Map<string, ServiceRecord>;
  pipelines: Map<string, PipelineRecord>;
  runs: Map<string, RunRecord>;
  features: Map<string, FeatureRecord>;
  tests: Map<string, TestRecord>;
  datasets: Map<string, DatasetRecord>;
  users: Map<string, UserRecord>;
  teams: Map<string, TeamRecord>;
}

export type CollectionName = keyof Collections;

export const emptyCollections = (): Collections => ({
  models: new Map(),
  instances: new Map(),
  services: new Map(),
  pipelines: new Map(),
  runs: new Map(),
  features: new Map(),
  tests: new Map(),
  datasets: new Map(),
  users: new Map(),
  teams: new Map(),
});
