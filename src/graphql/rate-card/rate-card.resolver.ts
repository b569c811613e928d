import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { MeterEntity } from '../../entities/meter.entity';
import { RateCardEntryEntity } from '../../entities/rate-card-entry.entity';
import type { RateCardEntity } from '../../entities/rate-card.entity';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Meter } from '../meter/meter.types';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { validateArg } from '../validate-input';
import { CreateRateCardInput, RateCardEntryInput } from './rate-card.inputs';
import { RateCard, RateCardConnection, RateCardEntry } from './rate-card.types';

@Resolver(() => RateCard)
export class RateCardResolver {
  @Mutation(() => RateCard, {
    description: 'Creates a rate card on a meter. Entries must not be duplicated or ambiguous.',
  })
  async createRateCard(
    @Arg('input', () => CreateRateCardInput, { validateFn: validateArg('input') }) input: CreateRateCardInput,
    @Ctx() context: GraphQLContext,
  ): Promise<RateCardEntity> {
    requireApiKey(context);
    return context.services.rateCards.create(context.ctx, input);
  }

  @Mutation(() => RateCard, { description: 'Adds entries to a rate card (e.g. a new rate version).' })
  async addRateCardEntries(
    @Arg('rateCardId', () => ID) rateCardId: string,
    @Arg('entries', () => [RateCardEntryInput], { validateFn: validateArg('entries') })
    entries: RateCardEntryInput[],
    @Ctx() context: GraphQLContext,
  ): Promise<RateCardEntity> {
    requireApiKey(context);
    return context.services.rateCards.addEntries(context.ctx, { rateCardId, entries });
  }

  @Query(() => RateCard)
  async rateCard(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<RateCardEntity> {
    requireApiKey(context);
    return context.services.rateCards.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => RateCardConnection, { complexity: pageComplexity, description: "A meter's rate cards." })
  async rateCards(
    @Arg('meterCode') meterCode: string,
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.rateCards.listByMeterCode(context.ctx, meterCode, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }

  @FieldResolver(() => Meter)
  async meter(@Root() card: RateCardEntity, @Ctx() { loaders }: GraphQLContext): Promise<MeterEntity> {
    const meter = await loaders.byId(MeterEntity).load(card.meterId);
    // The foreign key guarantees the meter exists; a null here would be a broken invariant.
    if (!meter) throw new Error(`Rate card ${card.id} has no meter ${card.meterId}`);
    return meter;
  }

  @FieldResolver(() => [RateCardEntry], {
    description: 'Entries in the order they were given.',
    complexity: relationListComplexity,
  })
  async entries(
    @Root() card: RateCardEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<RateCardEntryEntity[]> {
    return loaders.group(RateCardEntryEntity, 'rateCardId', 'position').load(card.id);
  }
}
