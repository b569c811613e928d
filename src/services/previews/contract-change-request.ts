import { badInput } from '../../domain/errors';
import type { Decimal } from '../../domain/money';
import type { BillingCycle } from '../../entities/plan.entity';
import type { ChangeTiming } from '../contracts';

interface TimedChange {
  timing?: ChangeTiming | null;
  date?: Date | null;
}

/**
 * One contract change to preview, named by the mutation that would apply it, with that mutation's arguments
 * (contract and idempotency key aside). Exactly one field is set.
 */
export interface ContractChangeRequest {
  changePlan?: ({ planId: string } & TimedChange) | null;
  addAddOn?: ({ pricingId: string; quantity?: Decimal | null } & TimedChange) | null;
  removeAddOn?: ({ pricingId: string } & TimedChange) | null;
  changeQuantity?: ({ pricingId: string; quantity: Decimal } & TimedChange) | null;
  changeBillingCycle?: { billingCycle: BillingCycle } | null;
  cancelContract?: TimedChange | null;
}

export type ContractChangeKind = keyof ContractChangeRequest;

const KINDS: readonly ContractChangeKind[] = [
  'changePlan',
  'addAddOn',
  'removeAddOn',
  'changeQuantity',
  'changeBillingCycle',
  'cancelContract',
];

/** The one change the request names; anything else is BAD_USER_INPUT on `change`. */
export function singleChange(request: ContractChangeRequest): ContractChangeKind {
  const named = KINDS.filter((kind) => request[kind] !== undefined && request[kind] !== null);
  if (named.length !== 1) {
    throw badInput(
      'change',
      `must name exactly one change (${KINDS.join(', ')}); got ${named.length ? named.join(', ') : 'none'}`,
    );
  }
  return named[0];
}
