/**
 * Contracts: plan-based contracts with overrides, fixed dimensions, add-ons and one-time charges; self-serve sign-up, amendments (plan, seats, add-ons, cycle, cancellation) and renewal.
 * Other folders import this feature only through this file.
 */
export type { ContractAddOnInput } from './contract-add-ons';
export { ContractAmendmentService } from './contract-amendment.service';
export type { ContractChangeResult } from './contract-amendment.service';
export { ContractService, actorOf } from './contract.service';
export type { RateOverrideInput } from './contract.service';
export type { OneTimeChargeInput } from './one-time-charges';
export { SignUpService } from './sign-up.service';
