import { Arg, Ctx, ID, Resolver, Root, Subscription, type SubscribeResolverData } from 'type-graphql';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { CustomerCreditBalance } from '../../services/credits';
import type { DraftInvoiceUpdate } from '../../services/live';
import type { GraphQLContext } from '../context';
import { CreditBalance, toCreditBalance } from '../credit/credit.types';
import { primeInvoiceView } from '../invoice/invoice.resolver';
import { Invoice } from '../invoice/invoice.types';
import { Loaders } from '../loaders';
import { checkPortalAccess } from '../portal/portal-guard';

type Data = SubscribeResolverData<unknown, Record<string, unknown>, GraphQLContext>;

/**
 * Live subscriptions (graphql-ws on /graphql). Each `subscribe` checks access first (portal tokens: their
 * own customer only; global middlewares do not wrap `subscribe`), then joins the shared feed of
 * LiveInvoiceService, whose iterator leaves the feed when the client completes or disconnects.
 */
@Resolver()
export class LiveResolver {
  @Subscription(() => Invoice, {
    nullable: true,
    description:
      'The current draft invoice (lines, credits applied, amount due), live: first the current state, then ' +
      'a message whenever its amounts change (usage aggregated, rate card, contract or credit change), at most ' +
      'one per invoice every 250 ms, always ending with the latest state. With contractId: that contract’s ' +
      'current-period invoice (null when there is none, e.g. cancelled). With customerId alone: one message ' +
      'per current invoice of the customer’s active contracts (null when it has none).',
    subscribe: async ({ args, context }: Data) => {
      await checkPortalAccess(context, 'draftInvoiceUpdated', args);
      return context.services.live.draftInvoice(context.ctx, {
        customerId: args.customerId as string | null | undefined,
        contractId: args.contractId as string | null | undefined,
      });
    },
  })
  draftInvoiceUpdated(
    @Root() update: DraftInvoiceUpdate,
    @Ctx() context: GraphQLContext,
    @Arg('customerId', () => ID, { nullable: true }) _customerId?: string,
    @Arg('contractId', () => ID, { nullable: true }) _contractId?: string,
  ): InvoiceEntity | null {
    // One operation context lives as long as the subscription: fresh loaders per message keep rows from
    // going stale and the cache from growing, and the feed's view is handed over so nothing is re-priced.
    context.loaders = new Loaders(context.ctx);
    if (!update) return null;
    primeInvoiceView(context, update.view);
    return update.invoice;
  }

  @Subscription(() => CreditBalance, {
    description: "The customer's credit balance, live: first the current one, then every change.",
    subscribe: async ({ args, context }: Data) => {
      await checkPortalAccess(context, 'creditBalanceUpdated', args);
      return context.services.live.creditBalance(context.ctx, args.customerId as string);
    },
  })
  creditBalanceUpdated(
    @Root() balance: CustomerCreditBalance,
    @Ctx() context: GraphQLContext,
    @Arg('customerId', () => ID) _customerId: string,
  ): CreditBalance {
    context.loaders = new Loaders(context.ctx);
    return toCreditBalance(balance);
  }
}
