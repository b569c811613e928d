import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, graphqlRequest } from './client';
import { FEATURES, type Feature } from './queries';
import type { EnvironmentKey } from './session';

export interface ApiState {
  key: EnvironmentKey;
  /** "Query.customers", "Mutation.confirmContractDraft", …; null until introspection answered. */
  rootFields: Set<string> | null;
}

export const ApiContext = createContext<ApiState | null>(null);

export function useApi(): ApiState {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside of a signed-in console');
  return api;
}

/** True when the server offers every root field the feature needs (or we could not tell yet). */
export function useFeature(feature: Feature): boolean {
  const { rootFields } = useApi();
  if (!rootFields) return true;
  return FEATURES[feature].every((field) => rootFields.has(field));
}

export interface QueryState<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
  setData: (data: T) => void;
}

/** Runs a query when mounted and whenever its variables change; `skip` keeps it idle. */
export function useQuery<T>(
  document: string,
  variables: Record<string, unknown> = {},
  options: { skip?: boolean } = {},
): QueryState<T> {
  const { key } = useApi();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(!options.skip);
  const [generation, setGeneration] = useState(0);
  const variablesKey = JSON.stringify(variables);

  useEffect(() => {
    if (options.skip) {
      setLoading(false);
      return;
    }
    let cancelled = false;
    setLoading(true);
    graphqlRequest<T>(key.apiKey, document, JSON.parse(variablesKey) as Record<string, unknown>)
      .then((result) => {
        if (cancelled) return;
        setData(result);
        setError(null);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setError(e instanceof ApiError ? e : new ApiError(String(e)));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [document, variablesKey, key.apiKey, generation, options.skip]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload, setData };
}

export interface MutationState<T> {
  run: (variables: Record<string, unknown>) => Promise<T | null>;
  running: boolean;
  error: ApiError | null;
}

export function useMutation<T>(document: string): MutationState<T> {
  const { key } = useApi();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(
    async (variables: Record<string, unknown>) => {
      setRunning(true);
      setError(null);
      try {
        return await graphqlRequest<T>(key.apiKey, document, variables);
      } catch (e) {
        if (mounted.current) setError(e instanceof ApiError ? e : new ApiError(String(e)));
        return null;
      } finally {
        if (mounted.current) setRunning(false);
      }
    },
    [key.apiKey, document],
  );
  return { run, running, error };
}
