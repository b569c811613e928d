import type { RequestContext } from '../../context';
import { PaymentMethodEntity } from '../../entities/payment-method.entity';
import type { PaymentResult, PaymentService } from './payment.service';
import { openAmount } from './payment.service';
import { InvoiceEntity } from '../../entities/invoice.entity';

/**
 * The dunning schedule: days after finalization of each auto-pay attempt. The first charge is made at
 * finalization; a failed one is retried after 1, 3 and 7 days, then auto-pay gives up on the invoice (it
 * stays FINALIZED and can still be paid by hand).
 */
export const DUNNING_SCHEDULE_DAYS: readonly number[] = [0, 1, 3, 7];

/** The reference of attempt `n` (1-based) on an invoice: unique, so two workers never charge twice. */
function attemptReference(invoiceId: string, n: number): string {
  return `autopay:${invoiceId}:${n}`;
}

export interface DueAutoPay {
  invoiceId: string;
  environmentId: string;
  organizationId: string;
  /** 1-based number of the attempt due. */
  attempt: number;
}

/**
 * Auto-pay: finalized invoices of contracts with `autoPay` are charged to the customer's default payment
 * method through its processor, on the dunning schedule. Each attempt is a payment (SUCCEEDED or FAILED, with
 * the processor's reason), so the invoice's payment history shows every try.
 */
export class AutoPayService {
  constructor(private readonly payments: PaymentService) {}

  /** Invoices (any environment) with an attempt due at `ctx.now()`, oldest finalization first. */
  async findDue(ctx: RequestContext, limit: number): Promise<DueAutoPay[]> {
    // Day offset of the attempt due after `attempts` attempts, from the schedule.
    const offset = `CASE x.attempts ${DUNNING_SCHEDULE_DAYS.map((d, n) => `WHEN ${n} THEN ${d}`).join(' ')} END`;
    const rows = (await ctx.manager.query(
      `SELECT x.invoiceId, x.environmentId, x.organizationId, x.attempts FROM (
         SELECT i.id AS invoiceId, i.environment_id AS environmentId, e.organization_id AS organizationId,
                i.finalized_at AS finalizedAt,
                (SELECT COUNT(*) FROM payments p WHERE p.invoice_id = i.id AND p.reference LIKE 'autopay:%') AS attempts
           FROM invoices i
           JOIN contracts c ON c.id = i.contract_id AND c.auto_pay = TRUE
           JOIN environments e ON e.id = i.environment_id
          WHERE i.status = 'FINALIZED' AND i.finalized_at IS NOT NULL
            -- A charge still processing is awaited (its webhook settles it), not repeated.
            AND NOT EXISTS (SELECT 1 FROM payments q WHERE q.invoice_id = i.id AND q.status = 'PENDING')
            AND EXISTS (SELECT 1 FROM payment_methods m WHERE m.environment_id = i.environment_id
                          AND m.customer_id = i.customer_id AND m.is_default = TRUE AND m.removed_at IS NULL)
       ) x
       WHERE x.attempts < ? AND DATE_ADD(x.finalizedAt, INTERVAL ${offset} DAY) <= ?
       ORDER BY x.finalizedAt ASC, x.invoiceId ASC
       LIMIT ?`,
      [DUNNING_SCHEDULE_DAYS.length, ctx.now(), limit],
    )) as Array<{
      invoiceId: string;
      environmentId: string;
      organizationId: string;
      attempts: string | number;
    }>;
    return rows.map(({ invoiceId, environmentId, organizationId, attempts }) => ({
      invoiceId,
      environmentId,
      organizationId,
      attempt: Number(attempts) + 1,
    }));
  }

  /**
   * Charges the open amount of the invoice to the customer's default method (`ctx` in the invoice's
   * environment). Null when there is nothing left to do (paid meanwhile, no default method any more).
   */
  async attempt(ctx: RequestContext, due: DueAutoPay): Promise<PaymentResult | null> {
    const invoice = await ctx
      .repo(InvoiceEntity)
      .findOne({ where: { id: due.invoiceId, environmentId: ctx.environmentId } });
    if (!invoice || invoice.status !== 'FINALIZED' || !openAmount(invoice).gt(0)) return null;
    const method = await ctx.repo(PaymentMethodEntity).findOne({
      where: { environmentId: ctx.environmentId, customerId: invoice.customerId, isDefault: true },
    });
    if (!method || method.removedAt !== null) return null;
    return this.payments.pay(ctx, invoice.id, {
      amount: openAmount(invoice),
      reference: attemptReference(invoice.id, due.attempt),
      provider: method.provider,
      paymentMethodToken: method.providerToken,
    });
  }
}
