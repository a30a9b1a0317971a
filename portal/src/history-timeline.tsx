import type { History } from './api';
import { dateTime, predicateLabel } from './format';
import { labelOfUri } from './links';

const valueText = (value: unknown): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
};

/** What was asserted and retracted about the entity, when, by which source and why: newest first, one group per transaction. */
export function HistoryTimeline({ history }: { history: History }) {
  const byTx = Map.groupBy([...history.entries].reverse(), (entry) => entry.txId);
  return (
    <ol className="timeline history">
      {[...byTx.entries()].map(([tx, entries]) => {
        const first = entries[0];
        if (!first) return null;
        return (
          <li key={tx}>
            <time>{dateTime(first.at)}</time>
            <div>
              <p className="muted">
                {first.source} · {first.cause.replace(/_/g, ' ')}
              </p>
              <ul>
                {entries.map((e, i) => (
                  <li key={i} className={e.op}>
                    <span className="op">{e.op === 'assert' ? 'set' : 'removed'}</span>{' '}
                    {e.kind === 'fact'
                      ? `${e.attribute ?? ''}${e.op === 'assert' ? ` = ${valueText(e.value)}` : ''}`
                      : e.edge
                        ? `${labelOfUri(e.edge.subject)} —${predicateLabel(e.edge.predicate)}→ ${labelOfUri(e.edge.object)}${e.edge.inferred ? ` (rule ${e.edge.rule ?? '?'})` : ''}`
                        : ''}
                  </li>
                ))}
              </ul>
            </div>
          </li>
        );
      })}
    </ol>
  );
}
