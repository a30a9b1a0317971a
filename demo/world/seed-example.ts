import type { Collections } from './records';

/**
 * The seed's worked example, always part of the world so that a person can follow it: the model
 * instance ranking-model-v5-20XX0101, produced by train-weekly-ranking-20XX0101 for cell 2 of
 * test 12345, owned by alice@netflix.com of team personalization. The ids keep the design's literal
 * "20XX"; the timestamps use a real year, since "20XX-01-01" is no ISO-8601 date.
 */
export const SEED_EXAMPLE = Object.freeze({
  instanceId: 'ranking-model-v5-20XX0101',
  previousInstanceId: 'ranking-model-v4-20XX1201',
  modelId: 'ranking-model',
  runId: 'train-weekly-ranking-20XX0101',
  pipelineId: 'weekly-ranking-trainer',
  featureId: 'days-since-last-play',
  datasetId: 'member-viewing-history',
  outputDatasetId: 'ranking-model-scores',
  testId: '12345',
  serviceName: 'homepage-ranker',
  userEmail: 'alice@netflix.com',
  username: 'alice',
  teamId: 'personalization',
});

const T = '2026-01-01T06:00:00Z';
const alice = [SEED_EXAMPLE.userEmail];
const teamLabel = [{ key: 'team', value: SEED_EXAMPLE.teamId }];

export function addSeedExample(records: Collections): void {
  const e = SEED_EXAMPLE;
  records.teams.set(e.teamId, { id: e.teamId, name: 'Personalization', member_emails: [e.userEmail], parent_team_id: null });
  records.users.set(e.userEmail, { email: e.userEmail, username: e.username, display_name: 'Alice', team_ids: [e.teamId], active: true });
  records.datasets.set(e.datasetId, {
    id: e.datasetId,
    name: 'member-viewing-history',
    description: 'What each member watched, when, and for how long.',
    location: 's3://warehouse/member_viewing_history',
    schema: [
      { name: 'member_id', type: 'long' },
      { name: 'title_id', type: 'long' },
      { name: 'watched_at', type: 'timestamp' },
    ],
    latest_version: 42,
    producer_pipeline_id: null,
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-06-01T00:00:00Z',
    updated_at: T,
  });
  records.datasets.set(e.outputDatasetId, {
    id: e.outputDatasetId,
    name: 'ranking-model-scores',
    description: 'Offline scores of the weekly ranking model.',
    location: 's3://warehouse/ranking_model_scores',
    schema: [
      { name: 'member_id', type: 'long' },
      { name: 'score', type: 'double' },
    ],
    latest_version: 7,
    producer_pipeline_id: e.pipelineId,
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-06-01T00:00:00Z',
    updated_at: T,
  });
  records.features.set(e.featureId, {
    id: e.featureId,
    name: 'days-since-last-play',
    description: 'Days since the member last started playback.',
    value_type: 'int',
    source_dataset_ids: [e.datasetId],
    version: 3,
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-06-02T00:00:00Z',
    updated_at: T,
  });
  records.pipelines.set(e.pipelineId, {
    id: e.pipelineId,
    name: 'weekly-ranking-trainer',
    description: 'Trains the homepage ranking model every week.',
    schedule: '0 6 * * 1',
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-06-03T00:00:00Z',
    updated_at: T,
  });
  records.runs.set(e.runId, {
    run_id: e.runId,
    pipeline: e.pipelineId,
    status: 'SUCCEEDED',
    started_at: '2026-01-01T04:00:00Z',
    ended_at: '2026-01-01T05:45:00Z',
    input_datasets: [e.datasetId],
    output_datasets: [e.outputDatasetId],
    ab_test_cells: [{ test_id: e.testId, cell_number: 2, cell_name: 'treatment_ranking_v5' }],
    attempts: 1,
  });
  records.models.set(e.modelId, {
    id: e.modelId,
    name: 'ranking-model',
    description: 'Ranks the rows of the homepage.',
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: T,
  });
  records.services.set(e.serviceName, {
    name: e.serviceName,
    description: 'Serves the homepage ranking.',
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: T,
  });
  records.instances.set(e.previousInstanceId, {
    id: e.previousInstanceId,
    model_id: e.modelId,
    version: 'v4',
    pipeline_run_id: null,
    feature_ids: [e.featureId],
    deployed_to: [e.serviceName],
    status: 'released',
    owner_emails: alice,
    labels: teamLabel,
    created_at: '2025-12-01T06:00:00Z',
    updated_at: '2025-12-01T06:00:00Z',
  });
  records.instances.set(e.instanceId, {
    id: e.instanceId,
    model_id: e.modelId,
    version: 'v5',
    pipeline_run_id: e.runId,
    feature_ids: [e.featureId],
    deployed_to: [],
    status: 'staged',
    owner_emails: alice,
    labels: teamLabel,
    created_at: T,
    updated_at: T,
  });
  records.tests.set(e.testId, {
    test_id: e.testId,
    name: 'Ranking Model v5 vs v4',
    description: 'Does v5 of the ranking model beat v4 on the homepage?',
    status: 'ACTIVE',
    cells: [
      { cell_number: 1, name: 'control_ranking_v4' },
      { cell_number: 2, name: 'treatment_ranking_v5' },
    ],
    owner_emails: alice,
    labels: teamLabel,
    start_date: '2026-01-02T00:00:00Z',
    end_date: null,
  });
}
