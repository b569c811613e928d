import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Decimal } from '../../domain/money';
import { addDays, contractEndExclusive } from '../../domain/periods';
import type { ContractAmendmentEntity } from '../../entities/contract-amendment.entity';
import { ContractEntity } from '../../entities/contract.entity';
import type { BillingCycle } from '../../entities/plan.entity';
import type { IdempotentOutcome } from '../../services/common';
import type { ContractChangeResult as ChangeIds } from '../../services/contracts';
import { type GraphQLContext, requireApiKey } from '../context';
import { Contract } from '../contract/contract.types';
import { toCreditGrant } from '../credit/credit.types';
import { BillingCycleEnum } from '../plan/plan.types';
import type { TierScopeEnum } from '../pricing/pricing.types';
import { DecimalScalar } from '../scalars';
import { validateArg } from '../validate-input';
import { SignUpInput } from './self-serve.inputs';
import {
  CatalogPlan,
  ChangeTimingEnum,
  ContractAmendment,
  ContractCancellation,
  ContractChangeResult,
  SignUpResult,
} from './self-serve.types';

const KEY_DESCRIPTION = 'Repeating a key returns the first result and changes nothing.';

async function changeResult(
  context: GraphQLContext,
  outcome: IdempotentOutcome<ChangeIds>,
): Promise<ContractChangeResult> {
  const { ctx, services } = context;
  return {
    contract: await services.contracts.getByIdOrThrow(ctx, outcome.result.contractId),
    amendment: await services.selfServe.contractHistory.findAmendment(ctx, outcome.result.amendmentId),
    replayed: outcome.replayed,
  };
}

/**
 * Self-serve: the product catalog, sign-up and contract management. Contract mutations are open to
 * API keys (amendment source API) and to customer-portal tokens on their own contracts (source SELF_SERVE).
 */
@Resolver()
export class SelfServeResolver {
  @Query(() => [CatalogPlan], {
    description: 'The public plans with their prices, tiers and dimensional rates, ready for a pricing page.',
  })
  async productCatalog(@Ctx() { ctx, services }: GraphQLContext): Promise<CatalogPlan[]> {
    const plans = await services.selfServe.catalog.list(ctx);
    return plans.map((plan) => ({
      ...plan,
      billingCycle: plan.billingCycle as BillingCycleEnum,
      items: plan.items.map((item) => ({
        ...item,
        kind: item.kind as CatalogPlan['items'][number]['kind'],
        model: item.model as CatalogPlan['items'][number]['model'],
        tiers: item.tiers.map((t) => ({
          upTo: t.upTo === null ? null : new Decimal(t.upTo),
          unitAmount: new Decimal(t.unitAmount),
          flatAmount: new Decimal(t.flatAmount),
          packageSize: t.packageSize ? new Decimal(t.packageSize) : null,
        })),
        tierScope: item.tierScope as TierScopeEnum,
      })),
    }));
  }

  @Mutation(() => SignUpResult, {
    description:
      'Signs a new customer up: the customer, an active contract on a public plan and optional promotional ' +
      'credits, in one transaction (API keys only).',
  })
  async signUp(
    @Arg('input', () => SignUpInput, { validateFn: validateArg('input') }) input: SignUpInput,
    @Ctx() context: GraphQLContext,
  ): Promise<SignUpResult> {
    requireApiKey(context);
    const { ctx, services } = context;
    const outcome = await services.selfServe.signUps.signUp(ctx, {
      ...input,
      billingCycle: input.billingCycle as BillingCycle | null | undefined,
    });
    const { customerId, contractId, promotionalCreditGrantId } = outcome.result;
    return {
      customer: await services.customers.getByIdOrThrow(ctx, customerId),
      contract: await services.contracts.getByIdOrThrow(ctx, contractId),
      promotionalCreditGrant: promotionalCreditGrantId
        ? toCreditGrant(await services.credits.getGrantOrThrow(ctx, promotionalCreditGrantId))
        : null,
      replayed: outcome.replayed,
    };
  }

  @Mutation(() => ContractChangeResult, {
    description:
      "Moves the contract to another plan (same currency). Usage before the change is billed on the old plan's " +
      'rates, after it on the new; flat fees are prorated by days, so the draft invoice shows both parts.',
  })
  async changePlan(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('planId', () => ID) planId: string,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
    @Arg('timing', () => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE })
    timing: ChangeTimingEnum,
    @Arg('date', () => Date, { nullable: true }) date?: Date | null,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.changePlan(context.ctx, {
      contractId,
      planId,
      timing,
      date,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Mutation(() => ContractChangeResult, {
    description: 'Adds a pricing (a module, a seat-priced fee) to the contract.',
  })
  async addAddOn(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('pricingId', () => ID) pricingId: string,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
    @Arg('quantity', () => DecimalScalar, { nullable: true, description: 'Seats (flat fees); default 1.' })
    quantity?: Decimal | null,
    @Arg('timing', () => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE })
    timing?: ChangeTimingEnum,
    @Arg('date', () => Date, { nullable: true }) date?: Date | null,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.addAddOn(context.ctx, {
      contractId,
      pricingId,
      quantity,
      timing,
      date,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Mutation(() => ContractChangeResult, { description: 'Removes an add-on (prorated to the removal).' })
  async removeAddOn(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('pricingId', () => ID) pricingId: string,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
    @Arg('timing', () => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE })
    timing?: ChangeTimingEnum,
    @Arg('date', () => Date, { nullable: true }) date?: Date | null,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.removeAddOn(context.ctx, {
      contractId,
      pricingId,
      timing,
      date,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Mutation(() => ContractChangeResult, {
    description: 'Changes the seats of a flat fee on the contract; both quantities are prorated by days.',
  })
  async changeQuantity(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('pricingId', () => ID) pricingId: string,
    @Arg('quantity', () => DecimalScalar) quantity: Decimal,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
    @Arg('timing', () => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.IMMEDIATE })
    timing?: ChangeTimingEnum,
    @Arg('date', () => Date, { nullable: true }) date?: Date | null,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.changeQuantity(context.ctx, {
      contractId,
      pricingId,
      quantity,
      timing,
      date,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Mutation(() => ContractChangeResult, {
    description:
      'Switches the billing cycle (e.g. MONTHLY → ANNUAL) from the next period boundary; the future draft ' +
      'invoices are regenerated on the new cycle.',
  })
  async changeBillingCycle(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('billingCycle', () => BillingCycleEnum) billingCycle: BillingCycleEnum,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.changeBillingCycle(context.ctx, {
      contractId,
      billingCycle: billingCycle as BillingCycle,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Mutation(() => ContractChangeResult, {
    description:
      'Cancels the contract: the final invoice covers usage to the instant of an IMMEDIATE cancellation (to ' +
      'the last day otherwise) and fees to the last day, later drafts are voided, ' +
      'promotional credits end with the contract. ON_DATE: `date` is the last day covered.',
  })
  async cancelContract(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
    @Arg('timing', () => ChangeTimingEnum, { defaultValue: ChangeTimingEnum.END_OF_PERIOD })
    timing?: ChangeTimingEnum,
    @Arg('date', () => Date, { nullable: true }) date?: Date | null,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.cancel(context.ctx, {
      contractId,
      timing,
      date,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Mutation(() => ContractChangeResult, {
    description:
      'Turns auto-renew on or off (fixed-term contracts; a renewed term continues the same contract).',
  })
  async setAutoRenew(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('enabled') enabled: boolean,
    @Arg('idempotencyKey', { description: KEY_DESCRIPTION }) idempotencyKey: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractChangeResult> {
    const outcome = await context.services.selfServe.amendments.setAutoRenew(context.ctx, {
      contractId,
      enabled,
      idempotencyKey,
    });
    return changeResult(context, outcome);
  }

  @Query(() => [ContractAmendment], {
    description: "The contract's history, oldest first: who changed what, when, and through which channel.",
  })
  async contractHistory(
    @Arg('contractId', () => ID) contractId: string,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ContractAmendmentEntity[]> {
    return services.selfServe.contractHistory.history(ctx, contractId);
  }
}

/** Self-serve fields on Contract, kept here so the contract module does not depend on self-serve. */
@Resolver(() => Contract)
export class ContractSelfServeFieldsResolver {
  @FieldResolver(() => Boolean, { description: 'Renews into a new term at its end (fixed-term contracts).' })
  autoRenew(@Root() contract: ContractEntity): boolean {
    return contract.autoRenew;
  }

  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the next term starts, if auto-renew is on (the day after endDate).',
  })
  renewsOn(@Root() contract: ContractEntity): Date | null {
    return contract.autoRenew && contract.endDate ? contractEndExclusive(contract.endDate) : null;
  }

  @FieldResolver(() => ContractCancellation, {
    nullable: true,
    description: 'Set once the contract is cancelled.',
  })
  async cancellation(
    @Root() contract: ContractEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ContractCancellation | null> {
    const amendment = await services.selfServe.contractHistory.findCancellation(ctx, contract.id);
    if (!amendment) return null;
    return {
      requestedAt: amendment.createdAt,
      lastDay: amendment.details.outright ? null : addDays(amendment.effectiveAt, -1),
      source: amendment.source,
    };
  }

  @FieldResolver(() => [ContractAmendment], { description: 'Same as contractHistory(contractId).' })
  async history(
    @Root() contract: ContractEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<ContractAmendmentEntity[]> {
    return services.selfServe.contractHistory.history(ctx, contract.id);
  }
}
