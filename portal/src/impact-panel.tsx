import type { Impact } from './api';
import { typeLabel } from './format';
import { labelOfUri } from './links';
import { EntityLink } from './panels/entity-list';

/** Impact as CSV: one row per affected entity, with its owners and teams. */
export function impactCsv(impact: Impact): string {
  const cell = (value: string | number): string =>
    /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
  const rows = impact.groups.flatMap((g) =>
    g.entities.map((e) => [e.type, e.name, e.uri, e.distance, e.owners.map(labelOfUri).join(' '), e.teams.map(labelOfUri).join(' ')]),
  );
  return [['type', 'name', 'uri', 'distance', 'owners', 'teams'], ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

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
