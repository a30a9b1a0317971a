import type { Impact } from './api';
import { labelOfUri } from './links';

/** Impact as CSV: one row per affected entity, with its owners and teams. */
export function impactCsv(impact: Impact): string {
  const cell = (value: string | number): string =>
    /[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value);
  const rows = impact.groups.flatMap((g) =>
    g.entities.map((e) => [e.type, e.name, e.uri, e.distance, e.owners.map(labelOfUri).join(' '), e.teams.map(labelOfUri).join(' ')]),
  );
  return [['type', 'name', 'uri', 'distance', 'owners', 'teams'], ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}
