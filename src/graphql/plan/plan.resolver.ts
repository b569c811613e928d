import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { PlanItemEntity } from '../../entities/plan-item.entity';
import type { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { Pricing } from '../pricing/pricing.types';
import { validateArg } from '../validate-input';
import { CreatePlanInput } from './plan.inputs';
import { Plan, PlanConnection, PlanItem } from './plan.types';

@Resolver(() => Plan)
export class PlanResolver {
  @Mutation(() => Plan, { description: 'Creates a plan from usage pricings and flat fees.' })
  async createPlan(
    @Arg('input', () => CreatePlanInput, { validateFn: validateArg('input') }) input: CreatePlanInput,
    @Ctx() context: GraphQLContext,
  ): Promise<PlanEntity> {
    requireApiKey(context);
    return context.services.plans.create(context.ctx, input);
  }

  @Query(() => Plan)
  async plan(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<PlanEntity> {
    requireApiKey(context);
    return context.services.plans.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => PlanConnection, { complexity: pageComplexity })
  async plans(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.plans.list(context.ctx, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }

  @FieldResolver(() => [PlanItem], { description: 'In the order given.', complexity: relationListComplexity })
  async items(@Root() plan: PlanEntity, @Ctx() { loaders }: GraphQLContext): Promise<PlanItemEntity[]> {
    return loaders.group(PlanItemEntity, 'planId', 'position').load(plan.id);
  }
}

@Resolver(() => PlanItem)
export class PlanItemResolver {
  @FieldResolver(() => Pricing)
  async pricing(@Root() item: PlanItemEntity, @Ctx() { loaders }: GraphQLContext): Promise<PricingEntity> {
    const pricing = await loaders.byId(PricingEntity).load(item.pricingId);
    // The foreign key guarantees the pricing exists; a null here would be a broken invariant.
    if (!pricing) throw new Error(`Plan item ${item.id} has no pricing ${item.pricingId}`);
    return pricing;
  }
}
