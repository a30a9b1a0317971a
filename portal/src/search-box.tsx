import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import type { OwnersResult, SearchResult } from './api';
import { useAsOf, withAsOf } from './as-of';
import { typeLabel } from './format';
import { pathOfUri } from './links';
import { useApi } from './use-api';

const DEBOUNCE_MS = 120;

interface Option {
  readonly uri: string;
  readonly name: string;
  readonly type: string;
  readonly detail: string;
}

/**
 * The one search box of every page: results as you type (entities, then people and teams), arrow
 * keys to move, Enter to open, Enter with nothing chosen for the full results with their filters.
 */
export function SearchBox() {
  const navigate = useNavigate();
  const [asOf] = useAsOf();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  useEffect(() => {
    const timer = setTimeout(() => setQ(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const entities = useApi<SearchResult>(q ? '/v1/search' : null, { q, limit: 8 });
  const owners = useApi<OwnersResult>(q ? '/v1/owners/search' : null, { q, limit: 4 });
  const options: Option[] = [
    ...(entities.data?.hits ?? []).map((h) => ({ uri: h.uri, name: h.name, type: h.type, detail: h.description ?? '' })),
    ...(owners.data?.hits ?? []).map((h) => ({ uri: h.uri, name: h.name, type: h.type, detail: h.email ?? h.nativeId })),
  ];
  const go = (path: string) => {
    setOpen(false);
    setActive(-1);
    void navigate(withAsOf(path, asOf));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(i + 1, options.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((i) => Math.max(i - 1, -1));
    } else if (event.key === 'Escape') {
      setOpen(false);
      setActive(-1);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = options[active];
      const path = chosen ? pathOfUri(chosen.uri) : null;
      go(path ?? `/search?q=${encodeURIComponent(text.trim())}`);
    }
  };
  const shown = open && q !== '' && q === text.trim();
  return (
    <div className="search-box">
      <input
        type="search"
        role="combobox"
        aria-label="Search models, features, datasets, pipelines, people"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="Search models, features, datasets, people…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onFocus={() => setOpen(true)}
      />
      {shown && (
        <ul id={listId} role="listbox" className="suggestions" aria-label="Suggestions" aria-busy={entities.loading || owners.loading}>
          {options.length === 0 && !entities.loading && <li className="empty">Nothing matches “{q}”.</li>}
          {options.map((option, i) => (
            <li
              key={option.uri}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                const path = pathOfUri(option.uri);
                if (path) go(path);
              }}
            >
              <span className={`type-badge t-${option.type}`}>{typeLabel(option.type)}</span>
              <span className="option-name">{option.name}</span>
              <span className="option-detail">{option.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
