import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Decimal } from '../../domain/money';
import { MeterEntity } from '../../entities/meter.entity';
import type { PricingEntity } from '../../entities/pricing.entity';
import { RateCardEntity } from '../../entities/rate-card.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Meter } from '../meter/meter.types';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { RateCard } from '../rate-card/rate-card.types';
import { validateArg } from '../validate-input';
import { CreateFlatFeeInput, CreatePricingInput } from './pricing.inputs';
import { Pricing, PricingConnection, PricingTier } from './pricing.types';

@Resolver(() => Pricing)
export class PricingResolver {
  @Mutation(() => Pricing, { description: 'Creates a usage pricing on a meter (kind USAGE).' })
  async createPricing(
    @Arg('input', () => CreatePricingInput, { validateFn: validateArg('input') }) input: CreatePricingInput,
    @Ctx() context: GraphQLContext,
  ): Promise<PricingEntity> {
    requireApiKey(context);
    return context.services.pricings.createUsage(context.ctx, input);
  }

  @Mutation(() => Pricing, {
    description: 'Creates a flat fee charged every billing period (kind FLAT_FEE).',
  })
  async createFlatFee(
    @Arg('input', () => CreateFlatFeeInput, { validateFn: validateArg('input') }) input: CreateFlatFeeInput,
    @Ctx() context: GraphQLContext,
  ): Promise<PricingEntity> {
    requireApiKey(context);
    return context.services.pricings.createFlatFee(context.ctx, input);
  }

  @Query(() => Pricing)
  async pricing(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<PricingEntity> {
    requireApiKey(context);
    return context.services.pricings.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => PricingConnection, { complexity: pageComplexity })
  async pricings(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.pricings.list(context.ctx, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }

  @FieldResolver(() => Meter, { nullable: true, description: 'The meter priced; null for flat fees.' })
  async meter(
    @Root() pricing: PricingEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<MeterEntity | null> {
    return pricing.meterId ? loaders.byId(MeterEntity).load(pricing.meterId) : null;
  }

  @FieldResolver(() => RateCard, { nullable: true })
  async rateCard(
    @Root() pricing: PricingEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<RateCardEntity | null> {
    return pricing.rateCardId ? loaders.byId(RateCardEntity).load(pricing.rateCardId) : null;
  }

  @FieldResolver(() => [PricingTier], {
    nullable: true,
    description: 'For GRADUATED, VOLUME and TIERED_PACKAGE; else null.',
  })
  tiers(@Root() pricing: PricingEntity): PricingTier[] | null {
    return (
      pricing.tiers?.map((tier) => ({
        upTo: tier.upTo === null ? null : new Decimal(tier.upTo),
        unitAmount: new Decimal(tier.unitAmount),
        flatAmount: new Decimal(tier.flatAmount),
        packageSize: tier.packageSize ? new Decimal(tier.packageSize) : null,
      })) ?? null
    );
  }
}
