import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { type GraphQLContext, requireApiKey } from '../context';
import { CustomerPortalToken } from './portal.types';

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
}
