import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { AppError } from './domain/errors';
import { createGraphQLContext, type GraphQLContext } from './graphql/context';
import { createErrorFormatter } from './graphql/errors';
import { queryLimitsPlugin } from './graphql/limits';
import { bearerToken, HttpError, readBody, sendError, sendJson } from './http/http-utils';
import type { Router } from './http/router';
import type { Logger } from './logger';
import type { Services } from './services';
import type { Authenticator } from './services/authenticator';

export interface ServerDeps {
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  log: Logger;
  router: Router;
  /** Readiness: database reachable and migrations applied. */
  isReady: () => Promise<boolean>;
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
): Promise<{ server: Server; apollo: ApolloServer<GraphQLContext> }> {
  const { schema, services, authenticator, log, router } = deps;
  const server = createServer();
  const wsServer = new WebSocketServer({ server, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { gql?: GraphQLContext }>(
    {
      schema,
      onConnect: async (ctx) => {
        const header = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        const token = typeof header === 'string' ? header.replace(/^Bearer\s+/i, '').trim() : null;
        try {
          const requestContext = await authenticator.context(token || null, randomUUID(), log);
          ctx.extra.gql = createGraphQLContext(requestContext, services);
          return true;
        } catch (error) {
          const message = error instanceof Error ? error.message : 'Unauthorized';
          // 4401 tells the client to re-authenticate; graphql-ws itself only offers 4403.
          ctx.extra.socket.close(4401, `Unauthorized: ${message}`.slice(0, 120));
          return false;
        }
      },
      context: (ctx) => {
        const base = (ctx.extra as { gql: GraphQLContext }).gql;
        // Fresh loaders per operation so cached rows never go stale on a long-lived socket.
        return createGraphQLContext(base.ctx, services);
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    introspection: true,
    formatError: createErrorFormatter(log),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
      queryLimitsPlugin(() => schema, services.config.queryMaxDepth, services.config.queryMaxCost),
    ],
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
      const text = await readBody(req, GRAPHQL_BODY_LIMIT);
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw new HttpError(400, 'INVALID_JSON', 'Request body is not valid JSON');
      }
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
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.debug({ requestId, method: req.method, path: url.pathname, status: res.statusCode, ms }, 'request');
    });
    void (async () => {
      try {
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

  return { server, apollo };
}
