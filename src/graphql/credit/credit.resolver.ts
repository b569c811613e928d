import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type GraphQLContext, requireApiKey } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { validateArg } from '../validate-input';
import { GrantPrepaidCreditsInput, GrantPromotionalCreditsInput } from './credit.inputs';
import {
  CreditBalance,
  CreditGrant,
  CreditLedgerEntryConnection,
  toCreditBalance,
  toCreditGrant,
  toCreditLedgerEntry,
} from './credit.types';

@Resolver()
export class CreditResolver {
  @Query(() => CreditBalance, {
    description:
      "A customer's credits: totals per currency, one total in the contract's currency, every grant.",
  })
  async creditBalance(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() { ctx, services }: GraphQLContext,
    @Arg('contractId', () => ID, {
      nullable: true,
      description:
        "The contract whose currency `total` is in (one of the customer's); default: the one in force.",
    })
    contractId?: string | null,
  ): Promise<CreditBalance> {
    return toCreditBalance(await services.creditQueries.getBalance(ctx, customerId, contractId ?? null));
  }

  @Query(() => CreditLedgerEntryConnection, {
    complexity: pageComplexity,
    description: "A customer's credit history (the wallet), newest first.",
  })
  async creditLedger(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() { ctx, services }: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = await services.creditQueries.listLedger(ctx, customerId, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection({ ...page, nodes: page.nodes.map(toCreditLedgerEntry) });
  }

  @Query(() => CreditGrant)
  async creditGrant(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<CreditGrant> {
    requireApiKey(context);
    return toCreditGrant(await context.services.credits.getGrantOrThrow(context.ctx, id));
  }

  @Mutation(() => CreditGrant, {
    description: "Free credits for the contract's customer (the seeds' credits/promotional/grant).",
  })
  async grantPromotionalCredits(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('input', () => GrantPromotionalCreditsInput, { validateFn: validateArg('input') })
    input: GrantPromotionalCreditsInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CreditGrant> {
    requireApiKey(context);
    return toCreditGrant(
      await context.services.credits.grantPromotionalCredits(context.ctx, contractId, input),
    );
  }

  @Mutation(() => CreditGrant, { description: 'A prepaid top-up, invoiced when invoiceAmountCents is set.' })
  async grantPrepaidCredits(
    @Arg('contractId', () => ID) contractId: string,
    @Arg('input', () => GrantPrepaidCreditsInput, { validateFn: validateArg('input') })
    input: GrantPrepaidCreditsInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CreditGrant> {
    requireApiKey(context);
    return toCreditGrant(await context.services.credits.grantPrepaidCredits(context.ctx, contractId, input));
  }

  @Mutation(() => CreditGrant, { description: 'Writes off what is left of a grant (a VOID ledger entry).' })
  async voidCreditGrant(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<CreditGrant> {
    requireApiKey(context);
    return toCreditGrant(await context.services.credits.voidGrant(context.ctx, id));
  }
}
