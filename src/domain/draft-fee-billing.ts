import type { ContractDraftContent, DraftFlatFee, DraftIssue } from './contract-draft-content';
import { Decimal, parseDecimal, QUANTITY_SCALE, RATE_SCALE } from './money';

/**
 * How each fee of a Contract Extraction draft will be billed once confirmed, said to the reviewer as issues
 * (informational unless the fee cannot be billed as it stands). Confirmation follows the same rules
 * (services/contract-draft-confirmer.ts):
 * - a fee with a flat-fee pricing the plan does not charge becomes a recurring add-on of the contract, billed
 *   every period at the CATALOG amount; a deal price that differs is flagged, never silently applied;
 * - a fee with a pricing the plan already charges is billed by the plan's item, not added twice;
 * - a fee without a pricing is a one-time charge: unit price × quantity, in full, on the period invoice
 *   holding its service date (or the contract start).
 */

/** What the catalog says about the pricings a draft's fees name (loaded by the draft service). */
export interface DraftFeeCatalog {
  /** FLAT_FEE pricings by id; a fee naming an id absent here names no flat-fee pricing. */
  flatFees: ReadonlyMap<string, { name: string; amount: string | null }>;
  /** Per plan id: the pricings its items charge, with their quantity. */
  planItems: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

function info(code: string, field: string, message: string): DraftIssue {
  return { code, field, message, blocking: false };
}

function blocking(code: string, field: string, message: string): DraftIssue {
  return { code, field, message, blocking: true };
}

/** Why the deal's quantity cannot be billed, or null. */
function quantityProblem(fee: DraftFlatFee): string | null {
  const quantity = parseDecimal(fee.quantity);
  if (!quantity || !quantity.gt(0)) return `quantity ${fee.quantity} must be greater than zero`;
  if (quantity.decimalPlaces() > QUANTITY_SCALE) {
    return `quantity must have at most ${QUANTITY_SCALE} decimal places`;
  }
  return null;
}

/** Why the deal's unit price cannot be billed as a one-time charge, or null. */
function priceProblem(fee: DraftFlatFee): string | null {
  const price = parseDecimal(fee.unitPrice);
  if (!price) return `unit price ${fee.unitPrice} is not a number`;
  if (price.isNegative()) {
    return `unit price ${fee.unitPrice} is negative; a discount cannot be billed as a charge: edit or remove the fee`;
  }
  if (price.decimalPlaces() > RATE_SCALE) return `unit price must have at most ${RATE_SCALE} decimal places`;
  return null;
}

function oneTimeIssues(content: ContractDraftContent, fee: DraftFlatFee, field: string): DraftIssue[] {
  const problem = quantityProblem(fee) ?? priceProblem(fee);
  if (problem) return [blocking('FEE_INVALID', field, `${fee.description}: ${problem}`)];
  const { contractStart: start, contractEnd: end } = content;
  const date = fee.serviceDate ?? start;
  if (fee.serviceDate && ((start && fee.serviceDate < start) || (end && fee.serviceDate > end))) {
    return [
      blocking(
        'FEE_DATE_OUTSIDE_TERM',
        `${field}.serviceDate`,
        `${fee.description}: service date ${fee.serviceDate} is outside the contract term (${start ?? '?'} to ${end ?? '?'}); ` +
          'a one-time charge is billed on the invoice of the period holding its date',
      ),
    ];
  }
  const total = new Decimal(fee.unitPrice).mul(fee.quantity).toFixed();
  const currency = content.currency ? ` ${content.currency}` : '';
  return [
    info(
      'FEE_ONE_TIME',
      field,
      `${fee.description}: no pricing, so billed once as a one-time charge of ${fee.unitPrice} × ${fee.quantity} = ` +
        `${total}${currency}, in full on the invoice of the period holding ${date ?? 'the contract start'}`,
    ),
  ];
}

function recurringIssues(
  content: ContractDraftContent,
  fee: DraftFlatFee & { pricingId: string },
  field: string,
  catalog: DraftFeeCatalog | null,
): DraftIssue[] {
  if (!catalog) {
    return [
      info(
        'FEE_RECURRING',
        field,
        `${fee.description}: billed every period by flat-fee pricing ${fee.pricingId} at its catalog amount ` +
          '(added to the contract unless the plan already charges it)',
      ),
    ];
  }
  const pricing = catalog.flatFees.get(fee.pricingId);
  if (!pricing) {
    return [
      blocking(
        'FEE_PRICING_NOT_FOUND',
        `${field}.pricingId`,
        `${fee.description}: flat-fee pricing ${fee.pricingId} not found`,
      ),
    ];
  }
  const issues: DraftIssue[] = [];
  const planQuantity = content.plan
    ? catalog.planItems.get(content.plan.planId)?.get(fee.pricingId)
    : undefined;
  if (planQuantity !== undefined) {
    const differs = !new Decimal(planQuantity).eq(parseDecimal(fee.quantity) ?? 0);
    issues.push(
      info(
        'FEE_IN_PLAN',
        field,
        `${fee.description}: already charged every period by the plan (${pricing.name} × ${planQuantity}); not added again` +
          (differs
            ? `. The deal says × ${fee.quantity}: change the seats after confirming if that is right`
            : ''),
      ),
    );
  } else {
    const problem = quantityProblem(fee);
    if (problem) return [blocking('FEE_INVALID', field, `${fee.description}: ${problem}`)];
    issues.push(
      info(
        'FEE_RECURRING',
        field,
        `${fee.description}: added to the contract as the recurring fee ${pricing.name} × ${fee.quantity}, billed every ` +
          `period at the catalog amount ${pricing.amount ?? '?'} (prorated by days for partial periods)`,
      ),
    );
  }
  const dealPrice = parseDecimal(fee.unitPrice);
  if (pricing.amount !== null && dealPrice && !dealPrice.eq(pricing.amount)) {
    issues.push(
      info(
        'FEE_PRICE_DIFFERS',
        `${field}.unitPrice`,
        `${fee.description}: the deal's unit price ${fee.unitPrice} differs from ${pricing.name}'s catalog amount ` +
          `${pricing.amount}; the contract will bill the catalog amount. To bill the deal's price, pick a flat-fee ` +
          'pricing at that amount, or clear the pricing to bill the fee once as a one-time charge',
      ),
    );
  }
  return issues;
}

/** One or more issues per fee, in the draft's order. `catalog` null: catalog facts unknown (the pure mapper). */
export function feeBillingIssues(
  content: ContractDraftContent,
  catalog: DraftFeeCatalog | null,
): DraftIssue[] {
  const firstByPricing = new Map<string, number>();
  return content.flatFees.flatMap((fee, index) => {
    const field = `flatFees.${index}`;
    if (fee.pricingId === null) return oneTimeIssues(content, fee, field);
    const earlier = firstByPricing.get(fee.pricingId);
    if (earlier !== undefined) {
      return [
        blocking(
          'FEE_PRICING_REPEATED',
          `${field}.pricingId`,
          `${fee.description}: repeats the pricing of flatFees.${earlier}; a contract charges a pricing once, so merge their quantities`,
        ),
      ];
    }
    firstByPricing.set(fee.pricingId, index);
    return recurringIssues(content, { ...fee, pricingId: fee.pricingId }, field, catalog);
  });
}
