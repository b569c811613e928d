import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ContractItemEntity } from '../../entities/contract-item.entity';
import { ContractOneTimeChargeEntity } from '../../entities/contract-one-time-charge.entity';
import { ContractRateOverrideEntity } from '../../entities/contract-rate-override.entity';
import { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Customer } from '../customer/customer.types';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { Plan } from '../plan/plan.types';
import { Pricing } from '../pricing/pricing.types';
import { validateArg } from '../validate-input';
import { CreateContractInput } from './contract.inputs';
import {
  Contract,
  ContractConnection,
  ContractItem,
  ContractOneTimeCharge,
  ContractRateOverride,
  ContractStatusEnum,
} from './contract.types';

function required<T>(row: T | null, what: string): T {
  // Foreign keys guarantee these rows; a null would be a broken invariant, not a user error.
  if (!row) throw new Error(`${what} is missing`);
  return row;
}

@Resolver(() => Contract)
export class ContractResolver {
  @Mutation(() => Contract, {
    description:
      "Subscribes a customer to a plan. Terms default to the plan's; the period invoices are pre-generated as DRAFT.",
  })
  async createContract(
    @Arg('input', () => CreateContractInput, { validateFn: validateArg('input') }) input: CreateContractInput,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractEntity> {
    requireApiKey(context);
    return context.services.contracts.create(context.ctx, input);
  }

  @Query(() => Contract)
  async contract(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<ContractEntity> {
    return context.services.contracts.getByIdOrThrow(context.ctx, id, 'id');
  }

  @Query(() => ContractConnection, { complexity: pageComplexity, description: 'Newest first.' })
  async contracts(
    @Ctx() context: GraphQLContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('status', () => ContractStatusEnum, { nullable: true }) status?: ContractStatusEnum,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = await context.services.contracts.list(context.ctx, {
      customerId,
      status,
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }

  @FieldResolver(() => ContractStatusEnum)
  status(@Root() contract: ContractEntity, @Ctx() { ctx, services }: GraphQLContext): ContractStatusEnum {
    return services.contracts.statusOf(contract, ctx.now()) as ContractStatusEnum;
  }

  @FieldResolver(() => Boolean)
  evergreen(@Root() contract: ContractEntity): boolean {
    return contract.endDate === null;
  }

  @FieldResolver(() => Customer)
  async customer(
    @Root() contract: ContractEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<CustomerEntity> {
    return required(
      await loaders.byId(CustomerEntity).load(contract.customerId),
      `customer ${contract.customerId}`,
    );
  }

  @FieldResolver(() => Plan)
  async plan(@Root() contract: ContractEntity, @Ctx() { loaders }: GraphQLContext): Promise<PlanEntity> {
    return required(await loaders.byId(PlanEntity).load(contract.planId), `plan ${contract.planId}`);
  }

  @FieldResolver(() => [ContractItem], { complexity: relationListComplexity })
  async items(
    @Root() contract: ContractEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ContractItemEntity[]> {
    return loaders.group(ContractItemEntity, 'contractId', 'position').load(contract.id);
  }

  @FieldResolver(() => [ContractOneTimeCharge], {
    complexity: relationListComplexity,
    description: 'Charges billed once, in the order they were given.',
  })
  async oneTimeCharges(
    @Root() contract: ContractEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ContractOneTimeChargeEntity[]> {
    return loaders.group(ContractOneTimeChargeEntity, 'contractId', 'position').load(contract.id);
  }

  @FieldResolver(() => [ContractRateOverride], { complexity: relationListComplexity })
  async rateOverrides(
    @Root() contract: ContractEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ContractRateOverride[]> {
    const overrides = await loaders
      .group(ContractRateOverrideEntity, 'contractId', 'position')
      .load(contract.id);
    return Promise.all(
      overrides.map(async (o) => ({
        id: o.id,
        meterCode: required(await loaders.byId(MeterEntity).load(o.meterId), `meter ${o.meterId}`).code,
        dimensions: o.dimensions,
        rate: o.rate,
      })),
    );
  }
}

@Resolver(() => ContractItem)
export class ContractItemResolver {
  @FieldResolver(() => Pricing)
  async pricing(
    @Root() item: ContractItemEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<PricingEntity> {
    return required(await loaders.byId(PricingEntity).load(item.pricingId), `pricing ${item.pricingId}`);
  }
}

/** Contract fields on Customer, kept here so the customer module does not depend on contracts. */
@Resolver(() => Customer)
export class CustomerContractsResolver {
  @FieldResolver(() => [Contract], {
    description: "The customer's contracts, oldest first.",
    complexity: relationListComplexity,
  })
  async contracts(
    @Root() customer: CustomerEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ContractEntity[]> {
    return loaders.group(ContractEntity, 'customerId', 'startDate').load(customer.id);
  }
}
