import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Decimal } from '../../domain/money';
import { MeterEntity } from '../../entities/meter.entity';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';
import type { DraftTermsInput } from '../../services/contract-drafts';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { validateArg } from '../validate-input';
import { ContractDraftInput } from './contract-draft.inputs';
import {
  ContractDraft,
  ContractDraftConnection,
  ContractDraftStatusEnum,
  DraftDimensionalRate,
  DraftPricing,
} from './contract-draft.types';
import { toContractDraftView, type ContractDraftView } from './contract-draft.view';

function toTerms(input: ContractDraftInput): DraftTermsInput {
  // Only the keys the caller sent: an absent key leaves the term unchanged.
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as DraftTermsInput;
}

function covers(scope: Record<string, string>, dimensions: Record<string, string>): boolean {
  return Object.entries(scope).every(([key, value]) => dimensions[key] === value);
}

@Resolver(() => ContractDraft)
export class ContractDraftResolver {
  @Query(() => ContractDraftConnection, {
    complexity: pageComplexity,
    description: 'The review queue, oldest first.',
  })
  async contractDrafts(
    @Ctx() context: GraphQLContext,
    @Arg('status', () => ContractDraftStatusEnum, { nullable: true }) status?: ContractDraftStatusEnum,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.contractDrafts.list(context.ctx, {
      status: status ?? null,
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection({ nodes: page.nodes.map(toContractDraftView), hasNextPage: page.hasNextPage });
  }

  @Query(() => ContractDraft)
  async contractDraft(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractDraftView> {
    requireApiKey(context);
    return toContractDraftView(await context.services.contractDrafts.getByIdOrThrow(context.ctx, id));
  }

  @Mutation(() => ContractDraft, {
    description: 'A draft typed in by hand; reviewed like one from Salesforce.',
  })
  async createContractDraft(
    @Arg('input', () => ContractDraftInput, { validateFn: validateArg('input') }) input: ContractDraftInput,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractDraftView> {
    requireApiKey(context);
    return toContractDraftView(await context.services.contractDrafts.create(context.ctx, toTerms(input)));
  }

  @Mutation(() => ContractDraft, { description: 'Edits terms of a pending draft; issues are recomputed.' })
  async updateContractDraft(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ContractDraftInput, { validateFn: validateArg('input') }) input: ContractDraftInput,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractDraftView> {
    requireApiKey(context);
    return toContractDraftView(await context.services.contractDrafts.update(context.ctx, id, toTerms(input)));
  }

  @Mutation(() => ContractDraft)
  async rejectContractDraft(
    @Arg('id', () => ID) id: string,
    @Arg('reason') reason: string,
    @Ctx() context: GraphQLContext,
  ): Promise<ContractDraftView> {
    requireApiKey(context);
    return toContractDraftView(await context.services.contractDrafts.reject(context.ctx, id, reason));
  }

  @Mutation(() => ContractDraft, {
    description:
      'In one transaction: creates or matches the customer, creates the contract with its overrides and the ' +
      "deal's fees (a catalog flat fee the plan lacks as a recurring add-on, a fee without a pricing as a one-time " +
      'charge), grants the credits, issues the commitment invoice and pre-generates the period invoices.',
  })
  async confirmContractDraft(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
    @Arg('carryOverPromotionalCredits', () => Boolean, {
      nullable: true,
      description:
        "For an expansion's deal (see expansionOf): whether the self-serve contract's unexpired promotional " +
        'credits carry over to the negotiated contract (default true) or end with the self-serve contract.',
    })
    carryOverPromotionalCredits?: boolean | null,
  ): Promise<ContractDraftView> {
    requireApiKey(context);
    return toContractDraftView(
      await context.services.contractDrafts.confirm(context.ctx, id, { carryOverPromotionalCredits }),
    );
  }

  @FieldResolver(() => [DraftPricing], {
    description:
      "Each matched usage pricing (the plan's and the mapped ones) with all its dimensional rates.",
    complexity: relationListComplexity,
  })
  async pricings(
    @Root() draft: ContractDraftView,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<DraftPricing[]> {
    const content = draft.content;
    const fromPlan = content.plan
      ? await loaders.group(PlanItemEntity, 'planId', 'position').load(content.plan.planId)
      : [];
    const ids = [
      ...new Set([...fromPlan.map((i) => i.pricingId), ...content.usagePricings.map((p) => p.pricingId)]),
    ];
    const planIds = new Set(fromPlan.map((i) => i.pricingId));
    const pricings = (await loaders.byId(PricingEntity).loadMany(ids)).filter(
      (p): p is PricingEntity => !!p && !(p instanceof Error) && p.kind === 'USAGE',
    );
    const at = content.contractStart
      ? new Date(`${content.contractStart}T00:00:00Z`)
      : new Date(draft.createdAt);
    return Promise.all(
      pricings.map(async (pricing) => {
        const meter = pricing.meterId ? await loaders.byId(MeterEntity).load(pricing.meterId) : null;
        const entries = pricing.rateCardId
          ? (await loaders.group(RateCardEntryEntity, 'rateCardId').load(pricing.rateCardId)).filter(
              (e) => e.effectiveFrom <= at && (!e.effectiveTo || e.effectiveTo > at),
            )
          : [];
        const overrides = content.usagePricings.filter(
          (p) => p.pricingId === pricing.id && p.overrideRate !== null,
        );
        const rateFor = (dimensions: Record<string, string>, catalogRate: Decimal): DraftDimensionalRate => {
          // The most specific override covering these dimensions wins.
          const override = overrides
            .filter((o) => covers(o.dimensions, dimensions))
            .sort((a, b) => Object.keys(b.dimensions).length - Object.keys(a.dimensions).length)[0];
          return override
            ? { dimensions, catalogRate, rate: new Decimal(override.overrideRate!), overridden: true }
            : { dimensions, catalogRate, rate: catalogRate, overridden: false };
        };
        const rates = entries.map((e) => rateFor(e.dimensions, e.rate));
        return {
          pricingId: pricing.id,
          name: pricing.name,
          meterCode: meter?.code ?? null,
          fromPlan: planIds.has(pricing.id),
          fallbackRate: pricing.fallbackRate,
          rates,
        };
      }),
    );
  }
}
