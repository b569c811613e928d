import type { Decimal } from '../../domain/money';
import type { ContractItemEntity } from '../../entities/contract-item.entity';
import type { ContractEntity } from '../../entities/contract.entity';
import type { BillingCycle } from '../../entities/plan.entity';
import type { RequestContext } from '../../context';
import type { CrmOrderType } from '../crm';

/**
 * When a change takes effect:
 * - IMMEDIATE: now (or the contract's start, when it has not started yet);
 * - END_OF_PERIOD: the end of the billing period holding now (the next period boundary);
 * - ON_DATE: `date` (for cancellations, `date` is the new LAST DAY covered, like `Contract.endDate`).
 */
export type ChangeTiming = 'IMMEDIATE' | 'END_OF_PERIOD' | 'ON_DATE';
export const CHANGE_TIMINGS: readonly ChangeTiming[] = ['IMMEDIATE', 'END_OF_PERIOD', 'ON_DATE'];

/** Every contract mutation answers with the contract and the amendment it recorded (ids: replayable JSON). */
export interface ContractChangeResult extends Record<string, unknown> {
  contractId: string;
  amendmentId: string;
}

export interface Keyed {
  contractId: string;
  idempotencyKey: string;
}

export interface Timed {
  timing?: ChangeTiming | null;
  date?: Date | null;
}

export interface ChangePlanInput extends Keyed, Timed {
  planId: string;
}
export interface AddAddOnInput extends Keyed, Timed {
  pricingId: string;
  /** Seats for a flat fee (default 1); usage add-ons are always 1. */
  quantity?: Decimal | null;
}
export interface RemoveAddOnInput extends Keyed, Timed {
  pricingId: string;
}
export interface ChangeQuantityInput extends Keyed, Timed {
  pricingId: string;
  quantity: Decimal;
}
export interface ChangeBillingCycleInput extends Keyed {
  billingCycle: BillingCycle;
}
export type CancelContractInput = Keyed & Timed;
export interface SetAutoRenewInput extends Keyed {
  enabled: boolean;
}

/** What an operation did, for the amendment row and the CRM Order. */
export interface AmendmentSpec {
  kind: string;
  effectiveAt: Date;
  details: Record<string, unknown>;
  crmType: CrmOrderType;
  crmDescription: string;
}

/** One change applied to the locked contract and its items, inside the amendment's transaction. */
export type ApplyChange = (
  tx: RequestContext,
  contract: ContractEntity,
  items: ContractItemEntity[],
) => Promise<AmendmentSpec>;
