import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, forbidden, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { Decimal, minorUnitDigits, ZERO } from '../../domain/money';
import { InvoiceEntity } from '../../entities/invoice.entity';
import { PaymentEntity } from '../../entities/payment.entity';
import { actorOf } from '../contracts';
import { isDuplicateKeyError, requiredText } from '../common';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';
import type { PaymentProvider } from './payment-provider';

export interface PayInvoiceInput {
  amount: Decimal;
  /** The payment's reference (bank transfer id…): a repeat with the same reference returns the first payment. */
  reference: string;
  /** Default: the built-in `manual` provider. */
  provider?: string | null;
  /** Auto-pay: the processor token of the payment method to charge. */
  paymentMethodToken?: string | null;
}

export interface PaymentResult {
  payment: PaymentEntity;
  invoice: InvoiceEntity;
  /** True when the reference had been recorded before and that payment was returned. */
  replayed: boolean;
}

const REFERENCE_KEY = 'uq_payments_reference';

/**
 * Payments toward finalized invoices. Partial payments are allowed; a payment above what is still open is
 * refused; the invoice moves to PAID once `amount_paid` reaches the total due (after credits). The invoice
 * row is locked for the whole payment, so concurrent payments are serialised and can never overpay.
 */
export class PaymentService {
  private readonly providers = new Map<string, PaymentProvider>();

  constructor(
    defaultProvider: PaymentProvider,
    private readonly webhooks: WebhookEventSink = noWebhookEvents,
  ) {
    this.register(defaultProvider);
    this.defaultName = defaultProvider.name;
  }

  private readonly defaultName: string;

  /** Plugs a real processor in (composition root). */
  register(provider: PaymentProvider): void {
    this.providers.set(provider.name, provider);
  }

  async pay(ctx: RequestContext, invoiceId: string, input: PayInvoiceInput): Promise<PaymentResult> {
    const reference = requiredText(input.reference, 'input.reference', 200);
    const provider = this.providers.get(input.provider ?? this.defaultName);
    if (!provider) throw badInput('input.provider', `Unknown payment provider ${input.provider}`);
    if (provider.operatorsOnly && ctx.caller.kind === 'PORTAL') {
      throw forbidden(
        `Payments through the ${provider.name} provider are recorded by operators only`,
        'input.provider',
      );
    }
    if (input.amount === null || input.amount === undefined) throw badInput('input.amount', 'is required');
    const amount = new Decimal(input.amount);
    if (!amount.isFinite() || !amount.gt(0)) throw badInput('input.amount', 'must be greater than zero');
    try {
      return await withTransaction(ctx, async (tx) => {
        const invoice = await tx.repo(InvoiceEntity).findOne({
          where: { id: invoiceId, environmentId: tx.environmentId },
          lock: { mode: 'pessimistic_write' },
        });
        if (!invoice || (tx.portalCustomerId && invoice.customerId !== tx.portalCustomerId)) {
          throw notFound('Invoice', invoiceId, 'invoiceId');
        }
        // A repeated reference answers with its first payment, even once that payment settled the invoice.
        // (The unique key on the reference is what enforces it; this read only orders the answers.)
        const [seen] = (await tx.manager.query(
          'SELECT id FROM payments WHERE environment_id = ? AND provider = ? AND reference = ? LOCK IN SHARE MODE',
          [tx.environmentId, provider.name, reference],
        )) as unknown[];
        if (seen) return this.replay(tx, invoice.id, provider.name, reference, amount);
        if (invoice.status === 'PAID')
          throw conflict(`Invoice ${invoice.number ?? invoice.id} is already paid`, 'invoiceId');
        if (invoice.status !== 'FINALIZED') {
          throw conflict(
            `Invoice ${invoice.number ?? invoice.id} is ${invoice.status}; only FINALIZED invoices can be paid`,
            'invoiceId',
          );
        }
        if (amount.decimalPlaces() > minorUnitDigits(invoice.currency)) {
          throw badInput(
            'input.amount',
            `must have at most ${minorUnitDigits(invoice.currency)} decimal places in ${invoice.currency}`,
          );
        }
        const pending = await this.pendingTotal(tx, invoice.id);
        const open = openAmount(invoice).minus(pending);
        if (amount.gt(open)) {
          throw badInput(
            'input.amount',
            `${amount.toFixed()} ${invoice.currency} is more than the ${Decimal.max(open, ZERO).toFixed()} ${invoice.currency} ` +
              `still due on invoice ${invoice.number ?? invoice.id}; overpayments are not accepted`,
          );
        }
        const outcome = await provider.collect(tx, {
          invoiceId: invoice.id,
          customerId: invoice.customerId,
          currency: invoice.currency,
          amount,
          reference,
          paymentMethodToken: input.paymentMethodToken ?? null,
        });
        const now = tx.now();
        const payment = tx.repo(PaymentEntity).create({
          id: newId('pay', now.getTime()),
          environmentId: tx.environmentId,
          invoiceId: invoice.id,
          customerId: invoice.customerId,
          provider: provider.name,
          reference,
          providerPaymentId: outcome.providerPaymentId,
          status: outcome.status,
          currency: invoice.currency,
          amount,
          failureReason: outcome.failureReason ?? null,
          actor: actorOf(tx.caller).slice(0, 100),
          createdAt: now,
          updatedAt: now,
        });
        await tx.repo(PaymentEntity).insert(payment);
        if (outcome.status === 'SUCCEEDED') await this.applyToInvoice(tx, invoice, amount);
        if (outcome.status === 'FAILED') await this.webhooks.record(tx, 'invoice.payment_failed', invoice.id);
        return { payment, invoice, replayed: false };
      });
    } catch (error) {
      if (!isDuplicateKeyError(error, REFERENCE_KEY)) throw error;
      return this.replay(ctx, invoiceId, provider.name, reference, amount);
    }
  }

  /** A processor's webhook confirms (or fails) a PENDING payment. */
  async settle(
    ctx: RequestContext,
    paymentId: string,
    succeeded: boolean,
    failureReason?: string,
  ): Promise<PaymentResult> {
    return withTransaction(ctx, async (tx) => {
      const found = await tx
        .repo(PaymentEntity)
        .findOne({ where: { id: paymentId, environmentId: tx.environmentId } });
      if (!found) throw notFound('Payment', paymentId, 'paymentId');
      // Invoice first, then payment: the same lock order as `pay`.
      const invoice = await tx.repo(InvoiceEntity).findOneOrFail({
        where: { id: found.invoiceId },
        lock: { mode: 'pessimistic_write' },
      });
      const payment = await tx.repo(PaymentEntity).findOneOrFail({ where: { id: paymentId } });
      if (payment.status !== 'PENDING') return { payment, invoice, replayed: true };
      payment.status = succeeded ? 'SUCCEEDED' : 'FAILED';
      payment.failureReason = succeeded ? null : (failureReason ?? 'Failed').slice(0, 1000);
      payment.updatedAt = tx.now();
      await tx
        .repo(PaymentEntity)
        .update(
          { id: payment.id },
          { status: payment.status, failureReason: payment.failureReason, updatedAt: payment.updatedAt },
        );
      if (succeeded) await this.applyToInvoice(tx, invoice, payment.amount);
      else await this.webhooks.record(tx, 'invoice.payment_failed', invoice.id);
      return { payment, invoice, replayed: false };
    });
  }

  /**
   * The payment a processor's id names, in whichever environment it is (webhooks arrive for the whole
   * platform): its id and environment, for `settle` in that environment.
   */
  async findByProviderPaymentId(
    ctx: RequestContext,
    provider: string,
    providerPaymentId: string,
  ): Promise<{ id: string; environmentId: string; organizationId: string } | null> {
    const [row] = (await ctx.manager.query(
      `SELECT p.id, p.environment_id AS environmentId, e.organization_id AS organizationId
         FROM payments p JOIN environments e ON e.id = p.environment_id
        WHERE p.provider = ? AND p.provider_payment_id = ? ORDER BY p.created_at DESC LIMIT 1`,
      [provider, providerPaymentId],
    )) as Array<{ id: string; environmentId: string; organizationId: string }>;
    return row ?? null;
  }

  async listForInvoice(ctx: RequestContext, invoiceId: string): Promise<PaymentEntity[]> {
    return ctx.repo(PaymentEntity).find({
      where: { invoiceId, environmentId: ctx.environmentId },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  private async applyToInvoice(tx: RequestContext, invoice: InvoiceEntity, amount: Decimal): Promise<void> {
    const now = tx.now();
    invoice.amountPaid = invoice.amountPaid.plus(amount);
    const due = openAmount(invoice);
    invoice.amountDue = due;
    if (due.lte(0)) invoice.status = 'PAID';
    invoice.updatedAt = now;
    await tx.repo(InvoiceEntity).update(
      { id: invoice.id },
      {
        amountPaid: invoice.amountPaid,
        amountDue: invoice.amountDue,
        status: invoice.status,
        updatedAt: now,
      },
    );
    if (invoice.status === 'PAID') await this.webhooks.record(tx, 'invoice.paid', invoice.id);
  }

  private async pendingTotal(tx: RequestContext, invoiceId: string): Promise<Decimal> {
    const [row] = (await tx.manager.query(
      "SELECT COALESCE(SUM(amount), 0) AS total FROM payments WHERE invoice_id = ? AND status = 'PENDING'",
      [invoiceId],
    )) as Array<{ total: string }>;
    return new Decimal(row?.total ?? 0);
  }

  private async replay(
    ctx: RequestContext,
    invoiceId: string,
    provider: string,
    reference: string,
    amount: Decimal,
  ): Promise<PaymentResult> {
    return withTransaction(ctx, async (tx) => {
      const [first] = (await tx.manager.query(
        `SELECT id FROM payments WHERE environment_id = ? AND provider = ? AND reference = ? LOCK IN SHARE MODE`,
        [tx.environmentId, provider, reference],
      )) as Array<{ id: string }>;
      const payment = first ? await tx.repo(PaymentEntity).findOneOrFail({ where: { id: first.id } }) : null;
      if (!payment) throw new Error(`payment reference ${reference} collided but its payment is not visible`);
      if (payment.invoiceId !== invoiceId || !payment.amount.eq(amount)) {
        throw conflict(
          `Payment reference ${reference} was already used for another payment (${payment.id}); use a new reference`,
          'input.reference',
        );
      }
      const invoice = await tx.repo(InvoiceEntity).findOneOrFail({ where: { id: invoiceId } });
      return { payment, invoice, replayed: true };
    });
  }
}

/** What the invoice still asks for: total − credits − paid (total due = total − credits). */
export function openAmount(invoice: InvoiceEntity): Decimal {
  const total = invoice.total ?? ZERO;
  const credits = invoice.creditsApplied ?? ZERO;
  // The customer's balance (credit notes) paid part of it before credits.
  return total
    .minus(invoice.balanceApplied ?? ZERO)
    .minus(credits)
    .minus(invoice.amountPaid);
}
