import { createClient, type Client } from 'graphql-ws';
import { useEffect, useRef, useState } from 'preact/hooks';
import { GRAPHQL_PATH } from './client';
import { useApi } from './hooks';

export type LiveStatus = 'connecting' | 'live' | 'closed' | 'error';

interface LiveClient {
  client: Client;
  connected: boolean;
}

const clients = new Map<string, LiveClient>();

/** One graphql-ws client per API key, authenticated in `connection_init` as the server expects. */
function clientFor(apiKey: string): LiveClient {
  let live = clients.get(apiKey);
  if (!live) {
    const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    const client = createClient({
      url: `${protocol}//${window.location.host}${GRAPHQL_PATH}`,
      connectionParams: { authorization: `Bearer ${apiKey}` },
      lazy: true,
      retryAttempts: 5,
    });
    const entry: LiveClient = { client, connected: false };
    client.on('connected', () => (entry.connected = true));
    client.on('closed', () => (entry.connected = false));
    clients.set(apiKey, entry);
    live = entry;
  }
  return live;
}

/** Subscribes while mounted; calls `onData` with each result's data. */
export function useSubscription<T>(
  document: string,
  variables: Record<string, unknown>,
  onData: (data: T) => void,
  options: { skip?: boolean } = {},
): LiveStatus {
  const { key } = useApi();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const variablesKey = JSON.stringify(variables);
  const onDataRef = useRef(onData);
  onDataRef.current = onData;
  useEffect(() => {
    if (options.skip) {
      setStatus('closed');
      return;
    }
    const { client, connected } = clientFor(key.apiKey);
    setStatus(connected ? 'live' : 'connecting');
    const offConnected = client.on('connected', () => setStatus('live'));
    const offClosed = client.on('closed', () => setStatus('closed'));
    const unsubscribe = client.subscribe<T>(
      { query: document, variables: JSON.parse(variablesKey) as Record<string, unknown> },
      {
        next: (result) => {
          setStatus('live');
          if (result.data) onDataRef.current(result.data as T);
        },
        error: () => setStatus('error'),
        complete: () => setStatus('closed'),
      },
    );
    return () => {
      offConnected();
      offClosed();
      unsubscribe();
    };
  }, [document, variablesKey, key.apiKey, options.skip]);
  return status;
}
