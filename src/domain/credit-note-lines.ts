/**
 * What a credit note credits, line by line.
 *
 * Decisions:
 * - A credit note credits lines of one finalized invoice, each by `amount` (money of the invoice's currency,
 *   at most its minor digits) or by `quantity` (part of the line's quantity: the line's rounded amount ×
 *   quantity / line quantity, rounded half-up once, so the whole quantity credits exactly the line amount).
 * - Never above what is left: a line's credit notes together never exceed its rounded amount; a request
 *   over it is refused naming the line, with what is left.
 * - Errors name the input path (`lines.2.amount`), like every input error.
 */
import { badInput, notFound } from './errors';
import { Decimal, ZERO, formatAmount, minorUnitDigits, roundToMinorUnit } from './money';

export interface CreditedInvoiceLine {
  id: string;
  description: string;
  quantity: Decimal;
  amount: Decimal;
  /** What earlier credit notes already credited of this line. */
  alreadyCredited: Decimal;
}

export interface CreditNoteLineRequest {
  invoiceLineId: string;
  amount?: Decimal | null;
  quantity?: Decimal | null;
}

export interface CreditNoteLineDraft {
  invoiceLineId: string;
  description: string;
  /** Set when credited by quantity. */
  quantity: Decimal | null;
  amount: Decimal;
}

export const MAX_CREDIT_NOTE_LINES = 500;

/** Checks each requested line against the invoice and returns what to credit, in request order. */
export function creditNoteLines(
  currency: string,
  invoiceLines: ReadonlyMap<string, CreditedInvoiceLine>,
  requests: readonly CreditNoteLineRequest[],
  field = 'input.lines',
): { lines: CreditNoteLineDraft[]; total: Decimal } {
  if (requests.length === 0) throw badInput(field, 'must credit at least one line');
  if (requests.length > MAX_CREDIT_NOTE_LINES) {
    throw badInput(field, `must credit at most ${MAX_CREDIT_NOTE_LINES} lines`);
  }
  const seen = new Set<string>();
  const lines = requests.map((request, index) => {
    const at = `${field}.${index}`;
    if (seen.has(request.invoiceLineId)) {
      throw badInput(`${at}.invoiceLineId`, 'repeats a line: credit each line once per credit note');
    }
    seen.add(request.invoiceLineId);
    const line = invoiceLines.get(request.invoiceLineId);
    if (!line) throw notFound('Invoice line', request.invoiceLineId, `${at}.invoiceLineId`);
    const byAmount = request.amount !== null && request.amount !== undefined;
    const byQuantity = request.quantity !== null && request.quantity !== undefined;
    if (byAmount === byQuantity) throw badInput(at, 'give either amount or quantity');
    const { amount, quantity, what } = byAmount
      ? { amount: checkAmount(request.amount!, currency, `${at}.amount`), quantity: null, what: 'amount' }
      : { ...amountOfQuantity(line, request.quantity!, currency, `${at}.quantity`), what: 'quantity' };
    const left = Decimal.max(ZERO, line.amount.minus(line.alreadyCredited));
    if (amount.gt(left)) {
      throw badInput(
        `${at}.${what}`,
        `credits ${formatAmount(amount, currency)} but only ${formatAmount(left, currency)} of line ` +
          `"${line.description}" is left to credit`,
      );
    }
    return { invoiceLineId: line.id, description: line.description, quantity, amount };
  });
  return { lines, total: lines.reduce((sum, line) => sum.plus(line.amount), ZERO) };
}

function checkAmount(value: Decimal, currency: string, field: string): Decimal {
  const amount = new Decimal(value);
  if (!amount.isFinite() || !amount.gt(0)) throw badInput(field, 'must be greater than zero');
  if (amount.decimalPlaces() > minorUnitDigits(currency)) {
    throw badInput(field, `must have at most ${minorUnitDigits(currency)} decimal places in ${currency}`);
  }
  return amount;
}

function amountOfQuantity(
  line: CreditedInvoiceLine,
  value: Decimal,
  currency: string,
  field: string,
): { amount: Decimal; quantity: Decimal } {
  const quantity = new Decimal(value);
  if (!quantity.isFinite() || !quantity.gt(0)) throw badInput(field, 'must be greater than zero');
  if (!line.quantity.gt(0))
    throw badInput(field, `line "${line.description}" has no quantity: credit an amount`);
  if (quantity.gt(line.quantity)) {
    throw badInput(field, `must not exceed the line's quantity ${line.quantity.toFixed()}`);
  }
  const amount = roundToMinorUnit(line.amount.mul(quantity).div(line.quantity), currency);
  if (!amount.gt(0)) throw badInput(field, `credits nothing once rounded to ${currency}'s minor unit`);
  return { amount, quantity };
}
