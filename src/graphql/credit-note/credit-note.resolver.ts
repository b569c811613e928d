import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { CreditNoteEntity, CreditNoteLineEntity } from '../../entities/credit-note.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { relationListComplexity } from '../complexity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Customer } from '../customer/customer.types';
import { Invoice } from '../invoice/invoice.types';
import { type Money, money, MoneyScalar } from '../money';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import { validateArg } from '../validate-input';
import {
  CreateCreditNoteInput,
  CreditNote,
  CreditNoteConnection,
  CreditNoteLine,
  CustomerBalance,
} from './credit-note.types';

/** Credit notes: the mutation, the queries, and their fields on Invoice and Customer (API keys only). */
@Resolver(() => CreditNote)
export class CreditNoteResolver {
  @Mutation(() => CreditNote, {
    description:
      'Credits lines of a FINALIZED or PAID invoice, by amount or quantity, never above what is left to credit ' +
      "of each line; refund BALANCE credits the customer's balance, spent by later invoices before credits.",
  })
  async createCreditNote(
    @Arg('input', () => CreateCreditNoteInput, { validateFn: validateArg('input') })
    input: CreateCreditNoteInput,
    @Ctx() context: GraphQLContext,
  ): Promise<CreditNoteEntity> {
    requireApiKey(context);
    return context.services.creditNotes.create(context.ctx, input);
  }

  @Query(() => CreditNote)
  async creditNote(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<CreditNoteEntity> {
    requireApiKey(context);
    return context.services.creditNotes.getByIdOrThrow(context.ctx, id);
  }

  @Query(() => CreditNoteConnection, { complexity: pageComplexity, description: 'Newest first.' })
  async creditNotes(
    @Ctx() context: GraphQLContext,
    @Arg('customerId', () => ID, { nullable: true }) customerId?: string,
    @Arg('invoiceId', () => ID, { nullable: true }) invoiceId?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    requireApiKey(context);
    const page = await context.services.creditNotes.list(context.ctx, {
      customerId,
      invoiceId,
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    return toConnection(page);
  }

  @FieldResolver(() => [CreditNoteLine], { complexity: relationListComplexity })
  async lines(@Root() note: CreditNoteEntity, @Ctx() { loaders }: GraphQLContext): Promise<CreditNoteLine[]> {
    const rows = await loaders.group(CreditNoteLineEntity, 'creditNoteId', 'position').load(note.id);
    return rows.map((row) => ({ ...row, amount: money(row.amount, note.currency) }));
  }

  @FieldResolver(() => Invoice)
  async invoice(@Root() note: CreditNoteEntity, @Ctx() { loaders }: GraphQLContext): Promise<InvoiceEntity> {
    const invoice = await loaders.byId(InvoiceEntity).load(note.invoiceId);
    if (!invoice) throw new Error(`invoice ${note.invoiceId} is missing`);
    return invoice;
  }

  @FieldResolver(() => Customer)
  async customer(
    @Root() note: CreditNoteEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<CustomerEntity> {
    const customer = await loaders.byId(CustomerEntity).load(note.customerId);
    if (!customer) throw new Error(`customer ${note.customerId} is missing`);
    return customer;
  }

  @FieldResolver(() => MoneyScalar, { description: 'Sum of the lines.' })
  total(@Root() note: CreditNoteEntity): Money {
    return money(note.total, note.currency);
  }
}

@Resolver(() => Invoice)
export class InvoiceCreditNotesResolver {
  @FieldResolver(() => [CreditNote], {
    complexity: relationListComplexity,
    description: "The invoice's credit notes, oldest first.",
  })
  async creditNotes(
    @Root() invoice: InvoiceEntity,
    @Ctx() { loaders }: GraphQLContext,
  ): Promise<CreditNoteEntity[]> {
    return loaders.group(CreditNoteEntity, 'invoiceId', 'createdAt').load(invoice.id);
  }
}

@Resolver(() => Customer)
export class CustomerBalanceResolver {
  @FieldResolver(() => [CustomerBalance], {
    description: "The customer's balance per currency (non-zero only): credit notes to BALANCE not yet used.",
  })
  async balance(
    @Root() customer: CustomerEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<CustomerBalance[]> {
    const balances = await services.creditNotes.balances(ctx, customer.id);
    return balances.map((b) => ({ currency: b.currency, amount: money(b.amount, b.currency) }));
  }
}
