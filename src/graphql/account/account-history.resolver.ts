import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { AccountHistoryService, type AccountHistoryKind } from '../../services/account-history';
import type { GraphQLContext } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import {
  AccountHistoryConnection,
  AccountHistoryKindEnum,
  type AccountHistoryEntryType,
  toHistoryEntry,
} from './account-history.types';

/** The account history feed: API keys for any customer, portal tokens for their own. */
@Resolver()
export class AccountHistoryResolver {
  @Query(() => AccountHistoryConnection, {
    description:
      "A customer's account history, newest first: sign-up, contract amendments, confirmed contract drafts, " +
      'issued and voided invoices, payments, credit grants and credit notes; filter with `kinds`.',
    complexity: pageComplexity,
  })
  async accountHistory(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() { ctx, services }: GraphQLContext,
    @Arg('kinds', () => [AccountHistoryKindEnum], { nullable: true }) kinds?: AccountHistoryKindEnum[] | null,
    @Arg('first', () => Int, { nullable: true }) first?: number | null,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<InstanceType<typeof AccountHistoryConnection>> {
    const page = await services.selfServe.accountHistory.page(ctx, {
      customerId,
      kinds: kinds as AccountHistoryKind[] | null | undefined,
      first,
      after: after ? decodeCursor(after) : null,
    });
    const entries: Array<AccountHistoryEntryType> = page.nodes.map(toHistoryEntry);
    return toConnection({ nodes: entries, hasNextPage: page.hasNextPage }, AccountHistoryService.cursorOf);
  }
}
