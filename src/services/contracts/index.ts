/**
 * Contracts: plan-based contracts with overrides, fixed dimensions, add-ons and one-time charges; self-serve sign-up, amendments (plan, seats, add-ons, cycle, cancellation) and renewal.
 * Other folders import this feature only through this file.
 */
export type { ContractAddOnInput } from './contract-add-ons';
export { insertAmendment } from './contract-amendment-records';
export type { SetCommitmentsInput } from './commitment-changes';
export type { CommitmentTermsInput, MinimumCommitmentInput, RolloverInput } from './commitment-terms';
export { ContractAmendmentService } from './contract-amendments.service';
export { ContractChangeRunner } from './contract-change-runner';
export { ContractChangeTiming } from './contract-change-timing';
export type { ChangeTiming, ContractChangeResult } from './contract-change-inputs';
export { ContractEndReader } from './contract-end';
export type { ContractEnd, SetRenewalNoticeInput } from './contract-end';
export { ContractHistoryService } from './contract-history';
export { ContractRenewalService } from './contract-renewal.service';
export type { DueRenewal } from './contract-renewal.service';
export { ContractService, actorOf } from './contract.service';
export type { GrantContractCredits, RateOverrideInput } from './contract.service';
export type { OneTimeChargeInput } from './one-time-charges';
export { SignUpService } from './sign-up.service';
export type { SignUpInput } from './sign-up.service';
