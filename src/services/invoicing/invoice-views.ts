/**
 * How an invoice reads: a draft's priced lines with the credits that would apply, or a frozen invoice's
 * stored lines and totals. Pure assembly; the services load the inputs.
 */
import { Decimal, ZERO } from '../../domain/money';
import type { PricedLine } from '../../domain/invoice-pricing-input';
import type { InvoiceLineEntity } from '../../entities/invoice-line.entity';
import type { InvoiceEntity } from '../../entities/invoice.entity';
import type { DrawdownInput } from '../credits';

export interface InvoiceLineView extends PricedLine {
  /** The stored line's id once frozen (what credit notes name); null while the invoice is a draft. */
  id?: string | null;
  position: number;
  creditsApplied: Decimal;
}

/** An invoice with its lines and totals: computed live for a DRAFT, read back frozen otherwise. */
export interface InvoiceView {
  invoice: InvoiceEntity;
  lines: InvoiceLineView[];
  /** Sum of the rounded lines. */
  subtotal: Decimal;
  creditsApplied: Decimal;
  /**
   * The customer's credit balance in the invoice's currency after this invoice's drawdown: previewed for a
   * DRAFT, frozen at finalization otherwise (null when the invoice never went through a drawdown).
   */
  creditBalanceRemaining: Decimal | null;
  /** What the customer's balance (credit notes refunded to BALANCE) pays, before credits. */
  balanceApplied: Decimal;
  /** The subtotal (no taxes or discounts yet): what the invoice charges before credits. */
  total: Decimal;
  /** `total − balanceApplied − creditsApplied − amountPaid`, never below zero. */
  amountDue: Decimal;
}

export function drawdownInput(invoice: InvoiceEntity, lines: readonly PricedLine[]): DrawdownInput {
  return {
    invoiceId: invoice.id,
    customerId: invoice.customerId,
    contractId: invoice.contractId,
    currency: invoice.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    lines: lines.map((line, position) => ({
      key: String(position),
      kind: line.kind,
      amount: line.amount,
      description: line.description,
      meterCode: line.meterCode,
      dimensions: line.dimensions,
    })),
  };
}

export function assembleView(
  invoice: InvoiceEntity,
  priced: readonly PricedLine[],
  perLine: ReadonlyMap<string, Decimal>,
  amountPaid: Decimal,
  creditBalanceRemaining: Decimal,
  balanceApplied: Decimal = ZERO,
): InvoiceView {
  const lines = priced.map((line, position) => ({
    ...line,
    position,
    creditsApplied: perLine.get(String(position)) ?? ZERO,
  }));
  const subtotal = lines.reduce((sum, l) => sum.plus(l.amount), ZERO);
  const creditsApplied = lines.reduce((sum, l) => sum.plus(l.creditsApplied), ZERO);
  const total = subtotal;
  return {
    invoice,
    lines,
    subtotal,
    creditsApplied,
    creditBalanceRemaining,
    balanceApplied,
    total,
    amountDue: Decimal.max(ZERO, total.minus(balanceApplied).minus(creditsApplied).minus(amountPaid)),
  };
}

export function frozenView(invoice: InvoiceEntity, rows: readonly InvoiceLineEntity[]): InvoiceView {
  const lines: InvoiceLineView[] = rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    pricingId: row.pricingId,
    meterCode: row.meterCode,
    description: row.description,
    dimensions: row.dimensions,
    quantity: row.quantity,
    rate: row.rate,
    unitSize: row.unitSize,
    rateSource: row.rateSource,
    preciseAmount: row.preciseAmount,
    amount: row.amount,
    serviceFrom: row.serviceFrom,
    serviceTo: row.serviceTo,
    bound: row.bound,
    unboundedAmount: row.unboundedAmount,
    position: row.position,
    creditsApplied: row.creditsApplied,
  }));
  const subtotal = invoice.subtotal ?? lines.reduce((sum, l) => sum.plus(l.amount), ZERO);
  const creditsApplied = invoice.creditsApplied ?? ZERO;
  const total = invoice.total ?? subtotal;
  const balanceApplied = invoice.balanceApplied ?? ZERO;
  return {
    invoice,
    lines,
    subtotal,
    creditsApplied,
    creditBalanceRemaining: invoice.creditBalanceRemaining,
    balanceApplied,
    total,
    amountDue: Decimal.max(ZERO, total.minus(balanceApplied).minus(creditsApplied).minus(invoice.amountPaid)),
  };
}
