import { useState } from 'preact/hooks';
import { ApiError, graphqlRequest } from '../api/client';
import { CURRENT_ENVIRONMENT } from '../api/queries';
import type { EnvironmentKey } from '../api/session';
import type { Environment } from '../api/types';

/** Checks a key against the API and returns the environment it acts on. */
export async function verifyKey(apiKey: string): Promise<EnvironmentKey> {
  const data = await graphqlRequest<{ currentEnvironment: Environment }>(apiKey, CURRENT_ENVIRONMENT);
  const env = data.currentEnvironment;
  return { apiKey, environmentId: env.id, environmentName: env.name, kind: env.kind };
}

/** An API key form; used for signing in and for adding another environment's key. */
export function ApiKeyForm({
  id = 'api-key',
  label,
  submitLabel,
  onVerified,
  onCancel,
}: {
  id?: string;
  label: string;
  submitLabel: string;
  onVerified: (key: EnvironmentKey) => void;
  onCancel?: () => void;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const apiKey = value.trim();
    if (!apiKey) {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onVerified(await verifyKey(apiKey));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setBusy(false);
    }
  };
  return (
    <form class="key-form" onSubmit={onSubmit} aria-busy={busy}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        type="password"
        autoComplete="off"
        spellcheck={false}
        placeholder="tly_live_…"
        value={value}
        onInput={(e) => setValue((e.target as HTMLInputElement).value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : `${id}-help`}
      />
      <p id={`${id}-help`} class="muted small">
        Kept in this tab's session storage only; closing the tab forgets it.
      </p>
      {error ? (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="button-row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

export function SignIn({ onSignedIn }: { onSignedIn: (key: EnvironmentKey) => void }) {
  return (
    <main id="main" class="sign-in">
      <div class="sign-in-card">
        <h1>Tally console</h1>
        <p class="muted">Sign in with an API key of the environment you want to work in.</p>
        <ApiKeyForm label="API key" submitLabel="Sign in" onVerified={onSignedIn} />
      </div>
    </main>
  );
}
