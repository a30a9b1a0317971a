import { useState, type FormEvent } from 'react';
import { ApiError, getJson, token } from './api';

/** Asks for a read token (npm start prints the demo's) and checks it before keeping it for this tab. */
export function SignIn({ onSignedIn, withProvider }: { onSignedIn: () => void; withProvider: boolean }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    token.set(value.trim());
    try {
      await getJson('/v1/search', { q: '', limit: 1 });
      onSignedIn();
    } catch (e) {
      token.clear();
      setError(e instanceof ApiError && e.status === 401 ? 'That token is not known.' : String(e));
    }
  };
  return (
    <form className="sign-in" onSubmit={(e) => void submit(e)}>
      <h1>Sign in</h1>
      {withProvider && (
        <p>
          <a className="button" href={`/auth/sign-in?returnTo=${encodeURIComponent(window.location.pathname + window.location.search)}`}>
            Sign in with your organization
          </a>
        </p>
      )}
      <p>
        {withProvider
          ? 'Or give a token with the read scope.'
          : 'Reads need a token with the read scope. The local demo prints its tokens when it starts.'}
      </p>
      <label htmlFor="token">Read token</label>
      <input id="token" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} required />
      <button type="submit">Sign in</button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}
