import type { Config } from '../platform/config';

/** What `npm start` tells a person once everything runs: where to look, how to ask, how to stop. */
export function banner(input: {
  config: Config;
  api: string;
  demo: { records: number; truthUrl: string } | null;
  /** The MLflow the graph reads, if any. */
  mlflow?: string | null;
  ownTokens: boolean;
}): string {
  const { config, api } = input;
  const read = config.api.tokens.find((t) => t.scope === 'read') ?? config.api.tokens[0];
  const tokens = config.api.tokens.map((t) => `${t.scope}: ${t.token}`).join('   ');
  const lines = [
    '',
    'Model Lifecycle Graph is running.',
    '',
    `  Portal       ${api}/   (sign in with the read token below)`,
    `  API          ${api}/v1   (health ${api}/v1/health)`,
    `  API docs     ${api}/docs/`,
    `  OpenLineage  ${api}/api/v1/lineage   (producers post here with a write token; Kafka: ${config.kafka.openLineageTopic})`,
    `  Temporal UI  ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`,
    `  Tokens       ${tokens}${input.ownTokens ? '' : '   (demo defaults: set MLG_API_TOKENS for a real deployment)'}`,
    ...(input.demo
      ? [
          `  Demo         ${input.demo.records.toLocaleString('en')} source records, brought in by a full sync and kept current by events; ground truth at ${input.demo.truthUrl}`,
        ]
      : []),
    ...(input.mlflow ? [`  MLflow       ${input.mlflow}   (its registry webhooks notify ${api}/v1/webhooks/mlflow)`] : []),
    '',
    ...(input.demo ? [`  Open  ${api}/entity/model-instance/registry/ranking-model-v5-20XX0101   (the walkthrough's model instance)`] : []),
    `  Try   curl -H 'Authorization: Bearer ${read?.token ?? '<token>'}' '${api}/v1/search?q=ranking'`,
    '        npx mlg status      (the operator commands: npx mlg --help)',
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
