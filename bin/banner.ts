import { DEMO_TOKENS, demoTokensInUse, type Config } from '../platform/config';

/** What `npm start` tells a person once everything runs: where to look, how to ask, how to stop. */
export function banner(input: {
  config: Config;
  api: string;
  demo: { records: number; truthUrl: string } | null;
  /** The MLflow the graph reads, if any. */
  mlflow?: string | null;
}): string {
  const { config, api } = input;
  const demo = demoTokensInUse(config);
  const read = demo ? DEMO_TOKENS.find((t) => t.scope === 'read')?.token : undefined;
  // Configured tokens are never printed: only their names and scopes.
  const tokens = demo
    ? `${DEMO_TOKENS.map((t) => `${t.scope}: ${t.token}`).join('   ')}   (demo defaults, accepted on this machine only: set MLG_API_TOKENS for a real deployment)`
    : [
        ...config.api.tokens.map((t) => `${t.name} (${t.scope})`),
        ...(config.api.tokensFile ? [`those in ${config.api.tokensFile}`] : []),
        ...(config.oidc.issuer ? [`sign-in with ${config.oidc.issuer}`] : []),
      ].join(', ');
  const lines = [
    '',
    'Model Lifecycle Graph is running.',
    '',
    `  Portal       ${api}/   (sign in with the read token below)`,
    `  API          ${api}/v1   (health ${api}/v1/health)`,
    `  API docs     ${api}/docs/`,
    `  OpenLineage  ${api}/api/v1/lineage   (producers post here with an ingest token; Kafka: ${config.kafka.openLineageTopic})`,
    `  Temporal UI  ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`,
    `  Credentials  ${tokens}`,
    ...(input.demo
      ? [
          `  Demo         ${input.demo.records.toLocaleString('en')} source records, brought in by a full sync and kept current by events; ground truth at ${input.demo.truthUrl}`,
        ]
      : []),
    ...(input.mlflow ? [`  MLflow       ${input.mlflow}   (its registry webhooks notify ${api}/v1/webhooks/mlflow)`] : []),
    '',
    ...(input.demo ? [`  Open  ${api}/entity/model-instance/registry/ranking-model-v5-20XX0101   (the walkthrough's model instance)`] : []),
    `  Try   curl -H 'Authorization: Bearer ${read ?? '<a read token>'}' '${api}/v1/search?q=ranking'`,
    '        npx mlg status      (the operator commands: npx mlg --help)',
    '  Ctrl-C stops everything.',
    '',
  ];
  return lines.join('\n');
}
