import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { CustomerEntity } from '../../entities/customer.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { validateArg } from '../validate-input';
import { CreateCustomerInput, UpdateCustomerInput } from './customer.inputs';
import { Customer, CustomerConnection } from './customer.types';

@Resolver(() => Customer)
export class CustomerResolver {
  @Mutation(() => Customer)
  async createCustomer(
    @Arg('input', () => CreateCustomerInput, { validateFn: validateArg('input') }) input: CreateCustomerInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerEntity> {
    requireApiKey(context);
    return context.services.customers.create(context.ctx, input);
  }

  @Mutation(() => Customer)
  async updateCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCustomerInput, { validateFn: validateArg('input') }) input: UpdateCustomerInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerEntity> {
    requireApiKey(context);
    return context.services.customers.update(context.ctx, id, input);
  }

  @Query(() => Customer)
  async customer(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<CustomerEntity> {
    // Customer-portal tokens may read their own customer: PortalGuard (PORTAL_FIELDS.customer) checks the id.
    return context.services.customers.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => Customer)
  async customerByExternalId(
    @Arg('externalId') externalId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<CustomerEntity> {
    requireApiKey(context);
    return context.services.customers.getByExternalIdOrThrow(context.ctx, externalId);
  }

  @Query(() => CustomerConnection, { complexity: pageComplexity })
  async customers(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Case-insensitive prefix of the name, email or external id.',
    })
    search?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.customers.list(context.ctx, {
      first,
      afterId: after ? decodeCursor(after) : null,
      search,
    });
    return toConnection(page);
  }
}
