import type { Status } from '../api';
import { ago } from '../format';
import { usePortal } from '../portal-context';
import { useApi } from '../use-api';

/** For operators: the servers, events waiting in Kafka, dead letters, running workflows, each source's last sync. */
export function StatusPage() {
  const status = useApi<Status>('/v1/status');
  const { config } = usePortal();
  if (status.error) return <p role="alert">{status.error.message}</p>;
  if (!status.data) return <p className="muted">Loading…</p>;
  const s = status.data;
  const unknown = (v: number | null | undefined) => (v === null || v === undefined ? 'unknown' : String(v));
  return (
    <section className="status-page">
      <h1>Status</h1>
      <table>
        <caption>Servers</caption>
        <tbody>
          {Object.entries(s.health.components).map(([name, c]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>
                <span className={`pill ${c.status === 'up' ? 'up' : 'failed'}`}>{c.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts">
        <div>
          <dt>Events waiting in Kafka</dt>
          <dd>{unknown(s.consumerLag)}</dd>
        </div>
        <div>
          <dt>Dead letters</dt>
          <dd>{unknown(s.deadLetters)} (npx mlg dlq list)</dd>
        </div>
        {Object.entries(s.runningWorkflows).map(([kind, n]) => (
          <div key={kind}>
            <dt>Running {kind.replace(/Workflow$/, '')} workflows</dt>
            <dd>{unknown(n)}</dd>
          </div>
        ))}
      </dl>
      <table>
        <caption>Last sync of each source</caption>
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Mode</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Entities</th>
          </tr>
        </thead>
        <tbody>
          {(s.lastSyncs ?? []).map((r) => (
            <tr key={r.source}>
              <th scope="row">{r.source}</th>
              <td>{r.mode}</td>
              <td>{r.status}</td>
              <td>{ago(r.startedAt)}</td>
              <td>{unknown(r.counts.entities)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {config.temporalUi && (
        <p>
          <a href={config.temporalUi} target="_blank" rel="noreferrer">
            Temporal UI
          </a>
        </p>
      )}
    </section>
  );
}
