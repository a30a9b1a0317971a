import type { z } from 'zod';
import type * as s from '../../../api/schemas';
import type { Entity } from '../api';
import { useApi } from '../use-api';
import { EntityLink } from './entity-list';

type Quality = z.output<typeof s.qualityResponse>;

/** A team's or a user's quality page: what they own that has signals, worst first. */
export function OwnedQualityPanel({ entity, asOf }: { entity: Entity; asOf: string | null }) {
  const param = entity.type === 'team' ? 'team' : 'owner';
  const quality = useApi<Quality>('/v1/quality', { [param]: entity.uri, limit: 50 });
  return (
    <section className="card wide" aria-label="Quality of what they own">
      <h3>
        Quality of what they own <span className="count">{quality.data ? `${quality.data.total} with signals` : ''}</span>
      </h3>
      {quality.data?.total === 0 && <p className="muted">Nothing they own has a quality signal.</p>}
      <table>
        <tbody>
          {quality.data?.entities.map((q) => (
            <tr key={q.uri}>
              <td>
                <EntityLink entity={q} asOf={asOf} />
              </td>
              <td>{q.score}</td>
              <td>{q.signals.map((sig) => sig.explanation).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
