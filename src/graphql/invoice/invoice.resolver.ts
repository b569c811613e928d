import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Decimal } from '../../domain/money';
import { ContractEntity } from '../../entities/contract.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import type { Page } from '../../services/common';
import {
  InvoiceService,
  type InvoiceOwner,
  type InvoicePageRequest,
  type InvoiceView,
} from '../../services/invoicing';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Contract } from '../contract/contract.types';
import { Customer } from '../customer/customer.types';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { type Money, money, MoneyScalar } from '../money';
import { Invoice, InvoiceConnection, InvoiceLine, InvoiceStatusEnum, toInvoiceLine } from './invoice.types';

/** Lines and totals of the invoices of one request, computed once per invoice (drafts are priced live). */
function viewsLoader({ ctx, services, loaders }: GraphQLContext) {
  return loaders.custom<InvoiceEntity, InvoiceView>('invoiceViews', (invoices) =>
    services.invoices.views(ctx, invoices),
  );
}

function viewOf(invoice: InvoiceEntity, context: GraphQLContext): Promise<InvoiceView> {
  return viewsLoader(context).load(invoice);
}

/**
 * Hands an already computed view to the Invoice field resolvers of this request, so they do not price the
 * invoice again (live subscriptions price once per change and share the view with every subscriber).
 */
export function primeInvoiceView(context: GraphQLContext, view: InvoiceView): void {
  viewsLoader(context).prime(view.invoice, view);
}

/** Frozen invoices carry their totals in columns; only drafts need pricing. */
async function amountOf(
  invoice: InvoiceEntity,
  context: GraphQLContext,
  pick: (view: InvoiceView) => Decimal,
  stored: Decimal | null,
): Promise<Money> {
  if (invoice.status !== 'DRAFT' && stored !== null) return money(stored, invoice.currency);
  return money(pick(await viewOf(invoice, context)), invoice.currency);
}

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Query(() => Invoice)
  async invoice(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<InvoiceEntity> {
    return context.services.invoices.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => InvoiceConnection, {
    complexity: pageComplexity,
    description: 'Newest period first; includes the pre-generated DRAFT invoices of future periods.',
  })
  async invoices(
    @Ctx() context: GraphQLContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('contractId', () => ID, { nullable: true, description: "Only this contract's invoices." })
    contractId?: string,
    @Arg('status', () => InvoiceStatusEnum, { nullable: true }) status?: InvoiceStatusEnum,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = await context.services.invoices.list(context.ctx, {
      customerId,
      contractId,
      status,
      first,
      after: after ? decodeCursor(after) : null,
    });
    return toConnection(page, InvoiceService.cursorOf);
  }

  @Query(() => Invoice, {
    nullable: true,
    description:
      "The contract's current-period invoice, priced live from usage (before the start: the first period's; " +
      "after the end: the last one's). Null for a cancelled contract.",
  })
  async draftInvoice(
    @Arg('contractId', () => ID) contractId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<InvoiceEntity | null> {
    return context.services.invoices.currentForContract(context.ctx, contractId);
  }

  @Query(() => [Invoice], {
    description: "The current-period invoices of the customer's contracts active now, oldest contract first.",
  })
  async draftInvoices(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() context: GraphQLContext,
  ): Promise<InvoiceEntity[]> {
    return context.services.invoices.currentForCustomer(context.ctx, customerId);
  }

  @Mutation(() => Invoice, {
    description:
      'Finalizes a DRAFT invoice now (before its period ends and the grace passes, for operations): freezes ' +
      'its lines, numbers it, sets issuedAt and dueDate. Already finalized: returned unchanged.',
  })
  async finalizeInvoice(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<InvoiceEntity> {
    requireApiKey(context);
    return (await context.services.invoices.finalize(context.ctx, id)).invoice;
  }

  @Mutation(() => Invoice, {
    description:
      'Voids a DRAFT or FINALIZED invoice (not a paid one). The credits a FINALIZED invoice drew are given back ' +
      '(REVERSAL ledger entries; written off again on grants that expired or were voided since). Voiding a ' +
      'VOID invoice returns it unchanged and gives nothing back twice.',
  })
  async voidInvoice(@Arg('id', () => ID) id: string, @Ctx() context: GraphQLContext): Promise<InvoiceEntity> {
    requireApiKey(context);
    return context.services.invoices.void(context.ctx, id);
  }

  @FieldResolver(() => [InvoiceLine], { complexity: relationListComplexity })
  async lines(@Root() invoice: InvoiceEntity, @Ctx() context: GraphQLContext): Promise<InvoiceLine[]> {
    return (await viewOf(invoice, context)).lines.map((line) => toInvoiceLine(line, invoice.currency));
  }

  @FieldResolver(() => MoneyScalar)
  subtotal(@Root() invoice: InvoiceEntity, @Ctx() context: GraphQLContext): Promise<Money> {
    return amountOf(invoice, context, (v) => v.subtotal, invoice.subtotal);
  }

  @FieldResolver(() => MoneyScalar)
  creditsApplied(@Root() invoice: InvoiceEntity, @Ctx() context: GraphQLContext): Promise<Money> {
    return amountOf(invoice, context, (v) => v.creditsApplied, invoice.creditsApplied);
  }

  @FieldResolver(() => MoneyScalar, {
    description:
      "What the customer's balance (credit notes refunded to BALANCE) pays of the invoice, before prepaid " +
      'credits: previewed on a draft, frozen at finalization.',
  })
  balanceApplied(@Root() invoice: InvoiceEntity, @Ctx() context: GraphQLContext): Promise<Money> {
    return amountOf(invoice, context, (v) => v.balanceApplied, invoice.balanceApplied ?? null);
  }

  @FieldResolver(() => MoneyScalar, { nullable: true })
  async creditBalanceRemaining(
    @Root() invoice: InvoiceEntity,
    @Ctx() context: GraphQLContext,
  ): Promise<Money | null> {
    // Frozen at finalization (the column); only a draft previews its drawdown.
    const remaining =
      invoice.status !== 'DRAFT'
        ? invoice.creditBalanceRemaining
        : (await viewOf(invoice, context)).creditBalanceRemaining;
    return remaining === null ? null : money(remaining, invoice.currency);
  }

  @FieldResolver(() => MoneyScalar)
  total(@Root() invoice: InvoiceEntity, @Ctx() context: GraphQLContext): Promise<Money> {
    return amountOf(invoice, context, (v) => v.total, invoice.total);
  }

  @FieldResolver(() => MoneyScalar)
  async amountDue(@Root() invoice: InvoiceEntity, @Ctx() context: GraphQLContext): Promise<Money> {
    if (invoice.status !== 'DRAFT' && invoice.total !== null) {
      const due = invoice.total
        .minus(invoice.balanceApplied ?? 0)
        .minus(invoice.creditsApplied ?? 0)
        .minus(invoice.amountPaid);
      return money(due.isNegative() ? due.mul(0) : due, invoice.currency);
    }
    return money((await viewOf(invoice, context)).amountDue, invoice.currency);
  }

  @FieldResolver(() => MoneyScalar)
  amountPaid(@Root() invoice: InvoiceEntity): Money {
    return money(invoice.amountPaid, invoice.currency);
  }

  @FieldResolver(() => Contract, { nullable: true })
  async contract(
    @Root() invoice: InvoiceEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<ContractEntity | null> {
    return invoice.contractId ? loaders.byId(ContractEntity).load(invoice.contractId) : null;
  }

  @FieldResolver(() => Customer)
  async customer(
    @Root() invoice: InvoiceEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<CustomerEntity> {
    const customer = await loaders.byId(CustomerEntity).load(invoice.customerId);
    if (!customer) throw new Error(`customer ${invoice.customerId} is missing`);
    return customer;
  }
}

/**
 * One page of a customer's or contract's invoices, batched across the parents of a request: every parent
 * asking with the same status and page size shares one loader (and so one query per batch).
 */
async function ownerInvoices(
  { ctx, services, loaders }: GraphQLContext,
  owner: InvoiceOwner,
  ownerId: string,
  args: { status?: InvoiceStatusEnum | null; first?: number | null; after?: string | null },
) {
  const status = args.status ?? null;
  const first = args.first ?? null;
  const loader = loaders.custom<string, Page<InvoiceEntity>>(
    `invoicesOf:${owner}:${status ?? ''}:${first ?? ''}`,
    (keys) =>
      services.invoices.pagesOf(
        ctx,
        owner,
        keys.map((key) => JSON.parse(key) as InvoicePageRequest),
        { status, first },
      ),
  );
  const request: InvoicePageRequest = { ownerId, after: args.after ? decodeCursor(args.after) : null };
  return toConnection(await loader.load(JSON.stringify(request)), InvoiceService.cursorOf);
}

const OWNER_INVOICES = {
  complexity: pageComplexity,
  description: 'Newest period first, like `invoices(...)`; includes pre-generated DRAFTs of future periods.',
};

/** Invoice fields on Contract and Customer. */
@Resolver(() => Contract)
export class ContractInvoicesResolver {
  @FieldResolver(() => InvoiceConnection, OWNER_INVOICES)
  async invoices(
    @Root() contract: ContractEntity,
    @Ctx() context: GraphQLContext,
    @Arg('status', () => InvoiceStatusEnum, { nullable: true }) status?: InvoiceStatusEnum,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return ownerInvoices(context, 'contract', contract.id, { status, first, after });
  }

  @FieldResolver(() => Invoice, { nullable: true, description: 'The current-period invoice, priced live.' })
  async draftInvoice(@Root() contract: ContractEntity, @Ctx() { ctx, services }: GraphQLContext) {
    return services.invoices.currentForContract(ctx, contract.id);
  }
}

@Resolver(() => Customer)
export class CustomerInvoicesResolver {
  @FieldResolver(() => InvoiceConnection, OWNER_INVOICES)
  async invoices(
    @Root() customer: CustomerEntity,
    @Ctx() context: GraphQLContext,
    @Arg('status', () => InvoiceStatusEnum, { nullable: true }) status?: InvoiceStatusEnum,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return ownerInvoices(context, 'customer', customer.id, { status, first, after });
  }

  @FieldResolver(() => Invoice, {
    nullable: true,
    description:
      'The current-period invoice of the first active contract (oldest); see draftInvoices for all of them.',
  })
  async draftInvoice(@Root() customer: CustomerEntity, @Ctx() { ctx, services }: GraphQLContext) {
    return (await services.invoices.currentForCustomer(ctx, customer.id))[0] ?? null;
  }

  @FieldResolver(() => [Invoice])
  async draftInvoices(@Root() customer: CustomerEntity, @Ctx() { ctx, services }: GraphQLContext) {
    return services.invoices.currentForCustomer(ctx, customer.id);
  }
}
