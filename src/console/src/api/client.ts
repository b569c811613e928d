/** The console's only way to the server: POST /graphql with the active API key as a bearer token. */
export interface GraphQLErrorShape {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string; field?: string } & Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null = null,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

export const GRAPHQL_PATH = '/graphql';

export async function graphqlRequest<T>(
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('The server cannot be reached.', 'NETWORK');
  }
  let body: { data?: T | null; errors?: GraphQLErrorShape[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new ApiError(`The server answered HTTP ${response.status} without a GraphQL body.`, 'HTTP');
  }
  const first = body.errors?.[0];
  if (first) {
    throw new ApiError(first.message, first.extensions?.code ?? null, first.extensions?.field ?? null);
  }
  if (!body.data) throw new ApiError('The server returned no data.', 'EMPTY');
  return body.data;
}

/** Fetches a REST resource with the key (the invoice PDF) and returns it as a Blob. */
export async function fetchBlob(apiKey: string, path: string): Promise<Blob> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      message = body.error?.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(message, 'HTTP');
  }
  return response.blob();
}
