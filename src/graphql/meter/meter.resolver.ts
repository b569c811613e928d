import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { MeterEntity } from '../../entities/meter.entity';
import { RateCardEntity } from '../../entities/rate-card.entity';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { RateCard } from '../rate-card/rate-card.types';
import { validateArg } from '../validate-input';
import { CreateMeterInput, UpdateMeterInput } from './meter.inputs';
import { Meter, MeterConnection } from './meter.types';

@Resolver(() => Meter)
export class MeterResolver {
  @Mutation(() => Meter, { description: 'Creates a meter; its code must be new in the environment.' })
  async createMeter(
    @Arg('input', () => CreateMeterInput, { validateFn: validateArg('input') }) input: CreateMeterInput,
    @Ctx() context: GraphQLContext,
  ): Promise<MeterEntity> {
    requireApiKey(context);
    return context.services.meters.create(context.ctx, input);
  }

  @Mutation(() => Meter, { description: 'Changes the options of a meter that do not affect stored usage.' })
  async updateMeter(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateMeterInput) input: UpdateMeterInput,
    @Ctx() context: GraphQLContext,
  ): Promise<MeterEntity> {
    requireApiKey(context);
    return context.services.meters.update(context.ctx, id, input);
  }

  @Query(() => Meter)
  async meter(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<MeterEntity> {
    requireApiKey(context);
    return context.services.meters.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => Meter)
  async meterByCode(@Arg('code') code: string, @Ctx() context: GraphQLContext): Promise<MeterEntity> {
    requireApiKey(context);
    return context.services.meters.getByCodeOrThrow(context.ctx, code);
  }

  @Query(() => MeterConnection, { complexity: pageComplexity })
  async meters(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.meters.list(context.ctx, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }

  @FieldResolver(() => [RateCard], {
    description: "The meter's rate cards, oldest first.",
    complexity: relationListComplexity,
  })
  async rateCards(@Root() meter: MeterEntity, @Ctx() { loaders }: GraphQLContext): Promise<RateCardEntity[]> {
    return loaders.group(RateCardEntity, 'meterId').load(meter.id);
  }
}
