/** What the console remembers for the browser tab: API keys per environment (sessionStorage only). */
export interface EnvironmentKey {
  apiKey: string;
  environmentId: string;
  environmentName: string;
  kind: string;
}

export interface Session {
  keys: EnvironmentKey[];
  activeEnvironmentId: string;
}

const STORAGE_KEY = 'tally.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return session.keys?.some((k) => k.environmentId === session.activeEnvironmentId) ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}

export function activeKey(session: Session): EnvironmentKey {
  return session.keys.find((k) => k.environmentId === session.activeEnvironmentId) ?? session.keys[0];
}

/** Adds (or replaces) the key of an environment and makes it the active one. */
export function withKey(session: Session | null, key: EnvironmentKey): Session {
  const others = (session?.keys ?? []).filter((k) => k.environmentId !== key.environmentId);
  return { keys: [...others, key], activeEnvironmentId: key.environmentId };
}
