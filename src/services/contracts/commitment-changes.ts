import { ContractEntity } from '../../entities/contract.entity';
import { checkCommitmentTerms, describeCommitments, type CommitmentTermsInput } from './commitment-terms';
import type { ApplyChange, Keyed } from './contract-change-inputs';

export type SetCommitmentsInput = Keyed & CommitmentTermsInput;

/**
 * Replaces a contract's minimum commitment and rollover terms (an absent term is cleared). Draft invoices
 * re-price live, so the new minimum applies to every period not yet finalized; finalized invoices keep the
 * true-up they were issued with. The new rollover terms apply at the next renewal.
 */
export function commitmentsChange(input: SetCommitmentsInput): ApplyChange {
  return async (tx, contract, items) => {
    const charged = new Set(items.map((item) => item.pricingId));
    const terms = checkCommitmentTerms(input, 'input', contract, charged);
    const before = describeCommitments(contract);
    Object.assign(contract, terms);
    await tx.repo(ContractEntity).update({ id: contract.id }, terms);
    const after = describeCommitments(contract);
    return {
      kind: 'COMMITMENTS_CHANGED',
      effectiveAt: tx.now(),
      details: { from: before, to: after },
      crmType: 'Billing Change',
      crmDescription: 'Minimum commitment and rollover terms changed',
    };
  };
}
