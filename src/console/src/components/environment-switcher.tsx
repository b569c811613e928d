import { useEffect, useState } from 'preact/hooks';
import { graphqlRequest } from '../api/client';
import { useApi } from '../api/hooks';
import { ENVIRONMENTS, FEATURES } from '../api/queries';
import type { EnvironmentKey, Session } from '../api/session';
import type { Environment } from '../api/types';
import { ApiKeyForm } from '../screens/sign-in';

const ADD = '__add__';

/**
 * Live and sandbox environments. Each environment has its own API keys: switching to one whose key
 * this tab does not hold asks for it. The API's `environments` list is used when the server offers it.
 */
export function EnvironmentSwitcher({
  session,
  onSwitch,
  onAddKey,
}: {
  session: Session;
  onSwitch: (environmentId: string) => void;
  onAddKey: (key: EnvironmentKey) => void;
}) {
  const { key, rootFields } = useApi();
  const [known, setKnown] = useState<Environment[]>([]);
  const [adding, setAdding] = useState<string | null>(null);
  const offersList = rootFields ? FEATURES.environments.every((f) => rootFields.has(f)) : false;

  useEffect(() => {
    if (!offersList) return;
    graphqlRequest<{ environments: Environment[] }>(key.apiKey, ENVIRONMENTS)
      .then((data) => setKnown(data.environments))
      .catch(() => setKnown([]));
  }, [offersList, key.apiKey]);

  const keyless = known.filter((env) => !session.keys.some((k) => k.environmentId === env.id));
  const onChange = (event: Event) => {
    const value = (event.target as HTMLSelectElement).value;
    if (session.keys.some((k) => k.environmentId === value)) {
      setAdding(null);
      onSwitch(value);
    } else {
      setAdding(value);
    }
  };
  const addingName = adding && adding !== ADD ? known.find((e) => e.id === adding)?.name : null;

  return (
    <div class="env-switcher">
      <label for="environment">Environment</label>
      <select id="environment" value={adding ?? session.activeEnvironmentId} onChange={onChange}>
        {session.keys.map((k) => (
          <option key={k.environmentId} value={k.environmentId}>
            {k.environmentName} ({k.kind.toLowerCase()})
          </option>
        ))}
        {keyless.map((env) => (
          <option key={env.id} value={env.id}>
            {env.name} ({env.kind.toLowerCase()}) — needs a key
          </option>
        ))}
        <option value={ADD}>Add an environment key…</option>
      </select>
      {adding ? (
        <div class="env-add" role="dialog" aria-label="Add an environment key">
          <ApiKeyForm
            id="environment-key"
            label={addingName ? `API key for ${addingName}` : 'API key of another environment'}
            submitLabel="Add and switch"
            onVerified={(verified) => {
              setAdding(null);
              onAddKey(verified);
            }}
            onCancel={() => setAdding(null)}
          />
        </div>
      ) : null}
    </div>
  );
}
