import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { type GraphQLContext, requireApiKey } from '../context';
import { CustomerPortalToken, CustomerPortalTokenRevocation } from './portal.types';

@Resolver()
export class PortalResolver {
  @Mutation(() => CustomerPortalToken, {
    description:
      'A signed, expiring token that lets an in-app screen read one customer’s own data (API keys only).',
  })
  async createCustomerPortalToken(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('ttlSeconds', () => Int, { defaultValue: 3600 }) ttlSeconds: number,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerPortalToken> {
    requireApiKey(context);
    return context.services.portalTokens.issue(context.ctx, customerId, ttlSeconds);
  }

  @Mutation(() => CustomerPortalToken, {
    description:
      'Issues a new portal token for the customer and revokes every earlier one, in one step (API keys ' +
      'only): requests with an earlier token are UNAUTHENTICATED, sockets opened with one are closed (4403).',
  })
  async rotateCustomerPortalToken(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('ttlSeconds', () => Int, { defaultValue: 3600 }) ttlSeconds: number,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerPortalToken> {
    requireApiKey(context);
    return context.services.portalTokens.rotate(context.ctx, customerId, ttlSeconds);
  }

  @Mutation(() => CustomerPortalTokenRevocation, {
    description:
      'Revokes every portal token issued so far for the customer (API keys only): requests with one are ' +
      'UNAUTHENTICATED, sockets opened with one are closed (4403) on every instance.',
  })
  async revokeCustomerPortalTokens(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerPortalTokenRevocation> {
    requireApiKey(context);
    return context.services.portalTokens.revoke(context.ctx, customerId);
  }
}
