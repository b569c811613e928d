import type { RequestContext } from '../../context';
import { newId } from '../../domain/ids';
import { Decimal, ZERO } from '../../domain/money';
import {
  CustomerBalanceEntryEntity,
  type CustomerBalanceEntryKind,
} from '../../entities/customer-balance-entry.entity';

/**
 * The customer's balance: money owed back to the customer (credit notes refunded to BALANCE), kept per
 * currency on an append-only ledger (customer_balance_entries; the balance is the sum of its entries).
 * Invoices spend it at finalization before prepaid credits (APPLIED), and a void gives it back (REVERSAL).
 *
 * Writers that spend the balance (finalization) hold the customer's row lock, so two invoices of one
 * customer never spend the same balance; adding to it (a credit note) needs no lock: a credit that commits
 * during a finalization is simply spent by the next invoice.
 */
export class CustomerBalanceLedger {
  /** The customer's balance in `currency` (zero when it has no entries). */
  async balance(ctx: RequestContext, customerId: string, currency: string): Promise<Decimal> {
    const rows = (await ctx.manager.query(
      `SELECT COALESCE(SUM(amount), 0) AS balance FROM customer_balance_entries
        WHERE environment_id = ? AND customer_id = ? AND currency = ?`,
      [ctx.environmentId, customerId, currency],
    )) as Array<{ balance: string | number }>;
    return new Decimal(String(rows[0]?.balance ?? 0));
  }

  /** Every currency's balance of the customer, non-zero ones only, by currency code. */
  async balances(
    ctx: RequestContext,
    customerId: string,
  ): Promise<Array<{ currency: string; amount: Decimal }>> {
    const rows = (await ctx.manager.query(
      `SELECT currency, SUM(amount) AS amount FROM customer_balance_entries
        WHERE environment_id = ? AND customer_id = ? GROUP BY currency ORDER BY currency`,
      [ctx.environmentId, customerId],
    )) as Array<{ currency: string; amount: string | number }>;
    return rows
      .map((row) => ({ currency: row.currency, amount: new Decimal(String(row.amount)) }))
      .filter((row) => !row.amount.isZero());
  }

  /** Appends one movement (positive adds to the balance). */
  async record(
    tx: RequestContext,
    entry: {
      customerId: string;
      currency: string;
      kind: CustomerBalanceEntryKind;
      amount: Decimal;
      description: string;
      creditNoteId?: string | null;
      invoiceId?: string | null;
    },
  ): Promise<void> {
    const now = tx.now();
    await tx.repo(CustomerBalanceEntryEntity).insert({
      id: newId('cbe', now.getTime()),
      environmentId: tx.environmentId,
      customerId: entry.customerId,
      currency: entry.currency,
      kind: entry.kind,
      amount: entry.amount,
      creditNoteId: entry.creditNoteId ?? null,
      invoiceId: entry.invoiceId ?? null,
      description: entry.description.slice(0, 500),
      createdAt: now,
    });
  }

  /**
   * Gives back what an invoice spent of the balance (its void). Idempotent: what was already reversed for
   * the invoice is not given back twice.
   */
  async reverseInvoice(
    tx: RequestContext,
    invoice: { id: string; customerId: string; currency: string; number: string | null },
  ): Promise<Decimal> {
    const rows = (await tx.manager.query(
      `SELECT COALESCE(SUM(amount), 0) AS net FROM customer_balance_entries
        WHERE environment_id = ? AND invoice_id = ? AND kind IN ('APPLIED', 'REVERSAL')`,
      [tx.environmentId, invoice.id],
    )) as Array<{ net: string | number }>;
    const owed = new Decimal(String(rows[0]?.net ?? 0)).neg();
    if (!owed.gt(0)) return ZERO;
    await this.record(tx, {
      customerId: invoice.customerId,
      currency: invoice.currency,
      kind: 'REVERSAL',
      amount: owed,
      invoiceId: invoice.id,
      description: `Invoice ${invoice.number ?? invoice.id} voided`,
    });
    return owed;
  }
}
