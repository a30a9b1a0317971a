import { useAsOf } from './as-of';

/** `datetime-local` speaks local time without a zone; the graph speaks UTC. The control shows and sets UTC. */
const toInput = (iso: string): string => iso.slice(0, 19);
const fromInput = (value: string): string => `${value.length === 16 ? `${value}:00` : value.slice(0, 19)}Z`;

/** Sets the time the whole page shows the graph at (`asOf`), or back to now. */
export function TimeControl() {
  const [asOf, setAsOf] = useAsOf();
  return (
    <div className={`time-control${asOf ? ' past' : ''}`}>
      <label htmlFor="as-of">Graph as of (UTC)</label>
      <input
        id="as-of"
        type="datetime-local"
        step={1}
        value={asOf ? toInput(asOf) : ''}
        onChange={(e) => setAsOf(e.target.value ? fromInput(e.target.value) : null)}
      />
      {asOf ? (
        <button type="button" onClick={() => setAsOf(null)}>
          Back to now
        </button>
      ) : (
        <span className="now">now</span>
      )}
    </div>
  );
}
