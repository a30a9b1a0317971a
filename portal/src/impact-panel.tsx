import type { Impact } from './api';
import { typeLabel } from './format';
import { impactCsv } from './impact-csv';
import { EntityLink } from './panels/entity-list';

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

/** Who and what a change here reaches: the people and teams to tell first, then the entities by type. */
export function ImpactPanel({ impact, asOf, fileName }: { impact: Impact; asOf: string | null; fileName: string }) {
  const { users, teams } = impact.notify;
  return (
    <div className="impact">
      <section className="card wide" aria-label="Notify">
        <h3>
          Notify <span className="count">{users.length + teams.length}</span>
        </h3>
        <p>
          {[...teams, ...users].map((o, i) => (
            <span key={o.uri}>
              {i > 0 && ', '}
              <EntityLink entity={o} asOf={asOf} />
            </span>
          ))}
          {users.length + teams.length === 0 && <span className="muted">Nobody owns what is downstream.</span>}
        </p>
        <p>
          <button type="button" onClick={() => void navigator.clipboard.writeText(impactCsv(impact))}>
            Copy as CSV
          </button>{' '}
          <button type="button" onClick={() => download(fileName, impactCsv(impact))}>
            Download CSV
          </button>
          {impact.truncated && <span className="warning"> Truncated: the node cap stopped the walk.</span>}
        </p>
      </section>
      {impact.groups.map((g) => (
        <section key={g.type} className="card" aria-label={`Affected ${typeLabel(g.type)}`}>
          <h3>
            {typeLabel(g.type)} <span className="count">{g.count}</span>
          </h3>
          <ul className="entity-list">
            {g.entities.map((e) => (
              <li key={e.uri}>
                <EntityLink entity={e} asOf={asOf} /> <span className="muted">{e.distance} away</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
