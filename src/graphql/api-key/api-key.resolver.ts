import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { EnvironmentEntity } from '../../entities/environment.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { ApiKey, CreatedApiKey, Environment } from './api-key.types';

@Resolver()
export class ApiKeyResolver {
  @Query(() => Environment, { description: "The caller's environment." })
  async currentEnvironment(@Ctx() { ctx, services }: GraphQLContext): Promise<EnvironmentEntity> {
    return services.organizations.getCurrentEnvironment(ctx);
  }

  @Query(() => [ApiKey])
  async apiKeys(@Ctx() context: GraphQLContext): Promise<ApiKey[]> {
    requireApiKey(context);
    return context.services.apiKeys.list(context.ctx);
  }

  @Mutation(() => CreatedApiKey, { description: "Creates an API key for the caller's environment." })
  async createApiKey(@Arg('name') name: string, @Ctx() context: GraphQLContext): Promise<CreatedApiKey> {
    requireApiKey(context);
    return context.services.apiKeys.create(context.ctx, name);
  }

  @Mutation(() => ApiKey)
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<ApiKey> {
    requireApiKey(context);
    return context.services.apiKeys.revoke(context.ctx, id);
  }
}
