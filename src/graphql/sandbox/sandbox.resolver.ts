import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { EnvironmentEntity } from '../../entities/environment.entity';
import { Environment } from '../api-key/api-key.types';
import { type GraphQLContext, requireApiKey } from '../context';
import { CreatedSandbox, DeletedSandbox } from './sandbox.types';

/** Sandboxes on the fly, managed with a live environment's API key. */
@Resolver()
export class SandboxResolver {
  @Query(() => [Environment], {
    description: "The organization's environments, live first (a sandbox key sees only its own).",
  })
  async environments(@Ctx() context: GraphQLContext): Promise<EnvironmentEntity[]> {
    requireApiKey(context);
    return context.services.selfServe.sandboxes.list(context.ctx);
  }

  @Mutation(() => CreatedSandbox, {
    description:
      'Creates an isolated SANDBOX environment with its own API key, optionally copying the catalog (meters, ' +
      'rate cards, pricings, plans; never customers or events) of another environment, e.g. "live". An ' +
      'organization may have SANDBOX_QUOTA sandboxes at once (CONFLICT beyond).',
  })
  async createSandbox(
    @Arg('name') name: string,
    @Ctx() context: GraphQLContext,
    @Arg('copyCatalogFrom', () => String, {
      nullable: true,
      description: 'An environment id or name, e.g. "live". Absent: an empty sandbox.',
    })
    copyCatalogFrom?: string | null,
    @Arg('ttlHours', () => Int, {
      nullable: true,
      description:
        'Hours (1–8760) after which the sandbox deletes itself with all its data. Absent: kept until deleted.',
    })
    ttlHours?: number | null,
  ): Promise<CreatedSandbox> {
    requireApiKey(context);
    return context.services.selfServe.sandboxes.create(context.ctx, { name, copyCatalogFrom, ttlHours });
  }

  @Mutation(() => DeletedSandbox, {
    description: 'Deletes a sandbox and all of its data. `live` cannot be deleted.',
  })
  async deleteSandbox(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<DeletedSandbox> {
    requireApiKey(context);
    return context.services.selfServe.sandboxes.delete(context.ctx, id);
  }
}
