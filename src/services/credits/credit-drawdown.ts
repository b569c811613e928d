import type { RequestContext } from '../../context';
import type { InvoiceLineKind } from '../../entities/invoice-line.entity';
import type { Decimal } from '../../domain/money';

/**
 * The seam between invoices and credits. The invoice engine computes rounded lines; the credit
 * service decides what the customer's grants cover. `preview` is read-only (live draft invoices);
 * `apply` runs inside the finalization transaction, locks the customer's grants in a consistent
 * order, writes the ledger deductions and returns what it applied (so two invoices finalized at
 * once never spend the same credits).
 */
export interface DrawdownLine {
  /** Stable key of the line within the invoice (its position). */
  key: string;
  kind: InvoiceLineKind;
  /** The line's rounded amount. */
  amount: Decimal;
  description: string;
  meterCode: string | null;
  dimensions: Record<string, string> | null;
}

export interface DrawdownInput {
  invoiceId: string;
  customerId: string;
  contractId: string | null;
  currency: string;
  periodStart: Date;
  periodEnd: Date;
  lines: DrawdownLine[];
  /**
   * At most this much (currency units) may be credited, e.g. what the customer's balance left to pay
   * (the balance is spent before credits); absent = every creditable line.
   */
  maxCredit?: Decimal;
}

export interface DrawdownResult {
  /** Total credits applied to the invoice. */
  applied: Decimal;
  /** Credits applied per line key (only lines with a non-zero amount). */
  perLine: Map<string, Decimal>;
  /** Credits taken from each grant. */
  perGrant: Array<{ grantId: string; amount: Decimal }>;
  /** The customer's remaining balance (same currency) after this invoice. */
  remainingBalance: Decimal;
}

/** The invoice whose drawdown a void gives back. */
export interface ReversalInput {
  invoiceId: string;
  customerId: string;
  /** The invoice's number, for the ledger entries' descriptions. */
  number: string | null;
}

export interface ReversalResult {
  /** Credits given back to grants still drawable (in minor units of the grants' currency). */
  restoredCents: Decimal;
  /** Credits given back to grants closed since (expired or voided), written off again at once. */
  writtenOffCents: Decimal;
}

export interface CreditDrawdown {
  preview(ctx: RequestContext, input: DrawdownInput): Promise<DrawdownResult>;
  apply(ctx: RequestContext, input: DrawdownInput): Promise<DrawdownResult>;
  /**
   * Gives back what `apply` deducted for an invoice that is being voided. Runs inside the void transaction,
   * locks the customer's grants in the same order as `apply`, and is idempotent (a second call adds nothing).
   */
  reverse(ctx: RequestContext, input: ReversalInput): Promise<ReversalResult>;
  /** The customer's balance in a currency (credit notes refunded to BALANCE, less what invoices spent). */
  balance(ctx: RequestContext, customerId: string, currency: string): Promise<Decimal>;
  /** Spends `amount` of the customer's balance on a finalizing invoice (its transaction holds the customer row). */
  spendBalance(
    ctx: RequestContext,
    invoice: { id: string; customerId: string; currency: string; number: string | null },
    amount: Decimal,
  ): Promise<void>;
  /** Gives back what a voided invoice spent of the balance; idempotent. */
  reverseBalance(
    ctx: RequestContext,
    invoice: { id: string; customerId: string; currency: string; number: string | null },
  ): Promise<void>;
}
