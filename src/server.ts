import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { AppError } from './domain/errors';
import { createGraphQLContext, type GraphQLContext } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { rememberQueryText, sharedSubscribe } from './graphql/live/live-execute';
import { checkCost, parseWithinLimits, queryLimitsPlugin, type QueryLimits } from './graphql/limits';
import {
  bearerToken,
  HttpError,
  readBody,
  requireJsonContentType,
  sendError,
  sendJson,
} from './http/http-utils';
import type { Router } from './http/router';
import type { Logger } from './logger';
import { graphqlMetricsPlugin } from './observability/graphql-metrics-plugin';
import type { AppMetrics } from './observability/metrics';
import type { Services } from './services';
import type { Authenticator } from './services/platform';
import { SocketRevocations } from './socket-revocations';

export interface ServerDeps {
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  log: Logger;
  router: Router;
  /** Readiness: database reachable and migrations applied. */
  isReady: () => Promise<boolean>;
  metrics: AppMetrics;
}

const GRAPHQL_BODY_LIMIT = 5 * 1024 * 1024;

function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof AppError) {
    const status = error.httpStatus;
    return new GraphQLError(error.message, { extensions: { code: error.code, http: { status } } });
  }
  throw error;
}

/**
 * One HTTP server: Apollo on /graphql (POST and GET), graphql-ws on the same path,
 * REST routes from the router, /healthz and /readyz.
 */
export async function createHttpServer(
  deps: ServerDeps,
): Promise<{ server: Server; apollo: ApolloServer<GraphQLContext>; webSockets: () => number }> {
  const { schema, services, authenticator, log, router, metrics } = deps;
  const limits = queryLimits(services.config);
  const formatError = createErrorFormatter(log, { hideSuggestions: services.config.production });
  const server = createServer();
  const ws = createGraphQLWebSocketServer(server, deps);
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: services.config.graphqlIntrospection,
    // Signals are handled once, in main.ts; Apollo's own handlers would stop it a second time.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await ws.dispose();
            },
          };
        },
      },
      queryLimitsPlugin(() => schema, limits),
      graphqlMetricsPlugin<GraphQLContext>(metrics),
    ],
    // The pre-check in handleGraphQL refuses longer documents first; this bounds Apollo's own parse.
    parseOptions: { maxTokens: limits.maxTokens },
  });
  await apollo.start();

  async function handleGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    requestId: string,
  ): Promise<void> {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      requireJsonContentType(req);
      const text = await readBody(req, GRAPHQL_BODY_LIMIT);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, 'INVALID_JSON', 'Request body is not valid JSON');
      }
    }
    const rejected = precheckDocument(req.method === 'POST' ? body : url.searchParams, limits);
    if (rejected) {
      const { http, ...extensions } = rejected.extensions as { http?: { status?: number } };
      return sendJson(res, http?.status ?? 400, {
        errors: [formatError({ message: rejected.message, extensions }, rejected)],
      });
    }
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => {
        const ctx = await authenticator.context(bearerToken(req), requestId, log).catch((e) => {
          throw toGraphQLError(e);
        });
        return createGraphQLContext(ctx, services);
      },
    });
    for (const [key, value] of result.headers) res.setHeader(key, value);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const requestId = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    // The route label is the matched pattern (or a fixed word), never the raw path: bounded cardinality.
    let routeLabel = 'unmatched';
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpDuration.observe(
        { method: req.method ?? 'GET', route: routeLabel, status: String(res.statusCode) },
        seconds,
      );
    });
    // Request logging costs a listener and a log record per request: on the hot ingestion path only when
    // debug logging is on.
    if (log.isLevelEnabled('debug')) {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        log.debug(
          { requestId, method: req.method, path: url.pathname, status: res.statusCode, ms },
          'request',
        );
      });
    }
    void (async () => {
      try {
        if (['/healthz', '/readyz', '/graphql'].includes(url.pathname)) routeLabel = url.pathname;
        if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
        if (url.pathname === '/readyz') {
          const ready = await deps.isReady().catch(() => false);
          return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
        }
        if (url.pathname === '/graphql') return await handleGraphQL(req, res, url, requestId);
        const route = router.match(req.method ?? 'GET', url.pathname);
        if (route === 'method')
          return sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' } });
        if (!route)
          return sendJson(res, 404, {
            error: { code: 'NOT_FOUND', message: `No route for ${url.pathname}` },
          });
        routeLabel = route.path;
        (req as IncomingMessage & { requestId?: string }).requestId = requestId;
        await route.handler(req, res, route.params, url);
      } catch (error) {
        if (!(error instanceof HttpError) && !(error instanceof AppError)) {
          log.error({ err: error, requestId, path: url.pathname }, 'request failed');
        }
        if (!res.headersSent) sendError(res, error);
        else res.end();
      }
    })();
  });

  return { server, apollo, webSockets: ws.connections };
}

export function queryLimits(config: Services['config']): QueryLimits {
  return {
    maxBytes: config.queryMaxBytes,
    maxTokens: config.queryMaxTokens,
    maxAliases: config.queryMaxAliases,
    maxDepth: config.queryMaxDepth,
    maxCost: config.queryMaxCost,
  };
}

/**
 * The text limits (size, tokens, aliases, fragment cycles, depth) before Apollo sees the request, so an
 * abusive document is refused before validation or any walk that grows with its expansion. Requests this
 * does not understand (no query text, batches) are left to Apollo, which answers them as before.
 */
function precheckDocument(body: unknown, limits: QueryLimits): GraphQLError | null {
  let query: unknown;
  let operationName: unknown;
  if (body instanceof URLSearchParams) {
    query = body.get('query');
    operationName = body.get('operationName');
  } else if (body && typeof body === 'object' && !Array.isArray(body)) {
    ({ query, operationName } = body as { query?: unknown; operationName?: unknown });
  }
  if (typeof query !== 'string') return null;
  try {
    parseWithinLimits(query, typeof operationName === 'string' ? operationName : null, limits);
    return null;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // Syntax errors are Apollo's to report, in its own shape.
    return error.extensions.code ? error : null;
  }
}

/** Unsent bytes a client may hold before it is dropped, and how long a closing socket may take. */
const WS_CLOSE_GRACE_MS = 1_000;
/** How often sockets are checked for unsent data over the limit (see createGraphQLWebSocketServer). */
const SLOW_CLIENT_SWEEP_MS = 250;

/**
 * A socket authenticated with an expiring token (customer-portal tokens) is closed with 4401 when the
 * token expires, so running subscriptions do not outlive it; graphql-ws clients reconnect and send a
 * fresh token from `connectionParams`.
 */
function closeWhenExpired(socket: WebSocket, expiresAt: Date | null, now: Date): void {
  if (!expiresAt) return;
  // setTimeout holds at most ~24.8 days; tokens live at most a week.
  const timer = setTimeout(
    () => sendCloseOrTerminate(socket, 4401, 'Unauthorized: the customer token has expired'),
    Math.max(0, expiresAt.getTime() - now.getTime()),
  );
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

type WsExtra = { gql?: GraphQLContext; token?: string | null };

function sendCloseOrTerminate(socket: WebSocket, code: number, reason: string): void {
  socket.close(code, reason.slice(0, 120));
  // A client that does not read never answers the close frame either (it sits behind the backlog).
  setTimeout(() => socket.terminate(), WS_CLOSE_GRACE_MS).unref();
}

/**
 * graphql-ws on the HTTP server's /graphql path.
 *
 * - Authentication in the `connection_init` payload (`{"authorization": "Bearer <API key or portal token>"}`):
 *   missing, invalid, tampered or expired → close 4401 with the reason; a valid token that may not
 *   connect → 4403. The token is verified again for every new operation (a portal token may expire while the
 *   socket is open: the operation then fails UNAUTHENTICATED).
 * - Errors carry `extensions.code` as over HTTP; the depth and cost limits apply as over HTTP.
 * - Slow or dead clients: graphql-ws pulls a subscription's next message only once the previous one is
 *   written (live feeds keep one pending state per invoice meanwhile); a socket whose unsent data still
 *   exceeds `wsMaxBufferedBytes` is closed (1008), and keep-alive pings terminate a socket that does not
 *   pong within `wsKeepAliveMs`.
 * - Shutdown: every socket gets 1001, stragglers are terminated after a second, live feeds are closed.
 */
function createGraphQLWebSocketServer(
  server: Server,
  deps: ServerDeps,
): { dispose: () => Promise<void>; connections: () => number } {
  const { schema, services, authenticator, log } = deps;
  const { wsKeepAliveMs, wsMaxBufferedBytes } = services.config;
  const limits = queryLimits(services.config);
  const formatError = createErrorFormatter(log, { hideSuggestions: services.config.production });
  const validationRules = services.config.graphqlIntrospection
    ? specifiedRules
    : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  const format = (errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
    errors.map((error) => formatError(error.toJSON(), error));
  const wsServer = new WebSocketServer({ server, path: '/graphql', maxPayload: 1024 * 1024 });
  const closeIfTooSlow = (socket: WebSocket): void => {
    if (socket.readyState !== socket.OPEN || socket.bufferedAmount <= wsMaxBufferedBytes) return;
    log.warn({ buffered: socket.bufferedAmount }, 'closing a WebSocket that does not keep up');
    sendCloseOrTerminate(socket, 1008, `Client too slow: over ${wsMaxBufferedBytes} bytes unsent`);
  };
  // Checking only before each message is not enough: once every subscription of a stuck socket waits for
  // its previous write, no further message comes to trigger the check. A sweep closes such sockets too.
  const slowClientSweep = setInterval(() => wsServer.clients.forEach(closeIfTooSlow), SLOW_CLIENT_SWEEP_MS);
  slowClientSweep.unref();

  // A revoked credential's running subscriptions end at once, in every instance: 4403, the credential is
  // no longer allowed.
  const revocations = new SocketRevocations(
    services.pubsub,
    () => wsServer.clients,
    (socket, reason) => sendCloseOrTerminate(socket, 4403, reason),
  );

  const cleanup = useServer<Record<string, unknown>, WsExtra>(
    {
      schema,
      // Identical subscriptions of one feed share each message's execution (see live-execute.ts).
      subscribe: sharedSubscribe,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        // One syntax everywhere, as over HTTP: "Bearer <token>"; a bare key is refused.
        const token = typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? '') : '';
        if (!token) {
          ctx.extra.socket.close(
            4401,
            'Unauthorized: send {"authorization": "Bearer <token>"} in connection_init',
          );
          return false;
        }
        try {
          const principal = await authenticator.principal(token);
          const requestContext = authenticator.contextFor(principal, randomUUID(), log);
          ctx.extra.gql = createGraphQLContext(requestContext, services);
          ctx.extra.token = token;
          const revoked = revocations.register(ctx.extra.socket, principal);
          if (revoked) {
            ctx.extra.socket.close(4403, revoked);
            return false;
          }
          closeWhenExpired(ctx.extra.socket, principal.expiresAt ?? null, requestContext.now());
          return true;
        } catch (error) {
          if (error instanceof AppError && (error.code === 'UNAUTHENTICATED' || error.code === 'FORBIDDEN')) {
            // 4401: authenticate (again); 4403: authenticated but not allowed.
            const [code, label] = error.code === 'FORBIDDEN' ? [4403, 'Forbidden'] : [4401, 'Unauthorized'];
            ctx.extra.socket.close(code, `${label}: ${error.message}`.slice(0, 120));
          } else {
            log.error({ err: error }, 'WebSocket authentication failed');
            ctx.extra.socket.close(1011, 'Internal error while authenticating');
          }
          return false;
        }
      },
      onSubscribe: async (ctx, _id, payload) => {
        // The token is checked again for each operation: it may have expired, or its key been revoked.
        try {
          const requestContext = await authenticator.context(ctx.extra.token ?? null, randomUUID(), log);
          ctx.extra.gql = createGraphQLContext(requestContext, services);
        } catch (error) {
          if (error instanceof AppError) {
            return [new GraphQLError(error.message, { extensions: { code: error.code } })];
          }
          throw error;
        }
        let document: DocumentNode;
        try {
          document = parseWithinLimits(payload.query, payload.operationName, limits);
        } catch (error) {
          return [error instanceof GraphQLError ? withoutHttp(error) : new GraphQLError(String(error))];
        }
        rememberQueryText(document, payload.query);
        const invalid = validate(schema, document, validationRules);
        if (invalid.length) return invalid;
        const tooCostly = checkCost(
          schema,
          document,
          payload.operationName,
          payload.variables ?? {},
          limits.maxCost,
        );
        if (tooCostly) return [withoutHttp(tooCostly)];
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx) => {
        const base = ctx.extra.gql!;
        // Fresh loaders per operation so cached rows never go stale on a long-lived socket.
        return createGraphQLContext(base.ctx, services);
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        closeIfTooSlow(ctx.extra.socket);
        if (result.errors?.length) return { ...result, errors: format(result.errors) };
        return undefined;
      },
      onError: (_ctx, _id, _payload, errors) => format(errors),
    },
    wsServer,
    wsKeepAliveMs,
  );

  return {
    connections: () => wsServer.clients.size,
    dispose: async () => {
      clearInterval(slowClientSweep);
      revocations.dispose();
      // Sockets that do not complete the closing handshake in time are terminated.
      const stragglers = setTimeout(() => {
        for (const client of wsServer.clients) client.terminate();
      }, WS_CLOSE_GRACE_MS);
      try {
        await cleanup.dispose();
      } finally {
        clearTimeout(stragglers);
      }
      await services.live.close();
    },
  };
}

/** WebSocket errors carry the code without the HTTP status meant for Apollo. */
function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}
