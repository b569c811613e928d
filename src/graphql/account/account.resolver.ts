import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { PaymentEntity } from '../../entities/payment.entity';
import { type GraphQLContext, requireApiKey } from '../context';
import { Invoice } from '../invoice/invoice.types';
import { type Money, money, MoneyScalar } from '../money';
import { validateArg } from '../validate-input';
import { PayInvoiceInput, UpdateAccountContactsInput } from './account.inputs';
import { AccountContacts, Payment, PaymentResult } from './account.types';

/**
 * Account management for in-app screens. Customer-portal tokens may read their own contacts and
 * pay their own invoices through a customer-facing provider (see PORTAL_FIELDS); contracts, invoices, the current draft and credits are the
 * existing queries, also open to portal tokens for their own customer.
 */
@Resolver()
export class AccountResolver {
  @Query(() => AccountContacts, { description: "The customer's account manager and support contact." })
  async accountContacts(
    @Arg('customerId', () => ID) customerId: string,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<AccountContacts> {
    return services.selfServe.accounts.getContacts(ctx, customerId);
  }

  @Mutation(() => AccountContacts, {
    description: 'Sets the account manager and support contact (API keys only).',
  })
  async updateAccountContacts(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => UpdateAccountContactsInput, { validateFn: validateArg('input') })
    input: UpdateAccountContactsInput,
    @Ctx() context: GraphQLContext,
  ): Promise<AccountContacts> {
    requireApiKey(context);
    return context.services.selfServe.accounts.updateContacts(context.ctx, customerId, input);
  }

  @Mutation(() => PaymentResult, {
    description:
      'Records a payment toward a FINALIZED invoice (partial payments allowed, overpayment refused); the ' +
      'invoice becomes PAID once settled. The built-in `manual` provider records money received elsewhere ' +
      'and is for API keys: portal tokens get FORBIDDEN unless a customer-facing provider is configured.',
  })
  async payInvoice(
    @Arg('invoiceId', () => ID) invoiceId: string,
    @Arg('input', () => PayInvoiceInput, { validateFn: validateArg('input') }) input: PayInvoiceInput,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<PaymentResult> {
    return services.selfServe.payments.pay(ctx, invoiceId, input);
  }
}

@Resolver(() => Invoice)
export class InvoicePaymentsResolver {
  @FieldResolver(() => [Payment], { description: 'Payments recorded toward the invoice, oldest first.' })
  async payments(
    @Root() invoice: InvoiceEntity,
    @Ctx() { ctx, services }: GraphQLContext,
  ): Promise<PaymentEntity[]> {
    return services.selfServe.payments.listForInvoice(ctx, invoice.id);
  }
}

/** Payments resolve from their rows: the amount is written here, with the payment's currency. */
@Resolver(() => Payment)
export class PaymentAmountResolver {
  @FieldResolver(() => MoneyScalar)
  amount(@Root() payment: PaymentEntity): Money {
    return money(payment.amount, payment.currency);
  }
}
