import type { SourceQuality, Status } from '../api';
import { ago } from '../format';
import { usePortal } from '../portal-context';
import { useApi } from '../use-api';

/** For operators: the servers, events waiting in Kafka, dead letters, running workflows, each source's last sync. */
export function StatusPage() {
  const status = useApi<Status>('/v1/status');
  const quality = useApi<SourceQuality>('/v1/quality/sources');
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
      {quality.data && (
        <table>
          <caption>Health of each source</caption>
          <thead>
            <tr>
              <th scope="col">Source</th>
              <th scope="col">Last event</th>
              <th scope="col">Failed calls (recent)</th>
              <th scope="col">Changes found without an event</th>
              <th scope="col">Signals</th>
            </tr>
          </thead>
          <tbody>
            {quality.data.sources.map((q) => (
              <tr key={q.source}>
                <th scope="row">{q.source}</th>
                <td>{q.lastEventAt ? ago(q.lastEventAt) : 'none yet'}</td>
                <td>{q.failureShare === null ? 'no calls' : `${Math.round(q.failureShare * 100)}% of ${q.recentCalls}`}</td>
                <td>{q.eventLossShare === null ? 'none' : `${Math.round(q.eventLossShare * 100)}%`}</td>
                <td>
                  {q.signals.length === 0
                    ? 'none'
                    : q.signals.map((sig) => (
                        <span key={sig.code} className="pill failed" title={sig.explanation}>
                          {sig.code}
                        </span>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
