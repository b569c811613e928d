import type { RequestContext } from '../context';
import { forbidden } from '../domain/errors';
import type { Services } from '../services';
import { Loaders } from './loaders';

/** What every resolver receives through `@Ctx()`. */
export interface GraphQLContext {
  ctx: RequestContext;
  services: Services;
  loaders: Loaders;
}

export function createGraphQLContext(ctx: RequestContext, services: Services): GraphQLContext {
  return { ctx, services, loaders: new Loaders(ctx) };
}

/** Mutations that manage the environment itself are for API keys, never for customer-portal tokens. */
export function requireApiKey(context: GraphQLContext): void {
  if (context.ctx.caller.kind !== 'API_KEY' && context.ctx.caller.kind !== 'SYSTEM') {
    throw forbidden('This operation needs an API key');
  }
}
