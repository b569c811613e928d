import type { RequestContext } from '../../context';
import {
  computeDraftIssues,
  sha256Hex,
  stableStringify,
  type ContractDraftContent,
} from '../../domain/contract-draft';
import { newId } from '../../domain/ids';
import { ContractDraftEntity, type ContractDraftSource } from '../../entities/contract-draft.entity';

/**
 * The hash that tells whether a draft's terms changed. The matched customer is left out: matching is
 * Tally's lookup, not a term of the deal, so a new match alone is no change to review.
 */
export function contentHashOf(content: ContractDraftContent): string {
  const { matchedCustomerId: _ignored, ...customer } = content.customer;
  return sha256Hex(stableStringify({ ...content, customer }));
}

/** A new pending primary draft (review sequence 0) with the given content; the caller inserts it. */
export function newDraftRow(
  tx: RequestContext,
  source: ContractDraftSource,
  connectionId: string | null,
  opportunityId: string | null,
  content: ContractDraftContent,
): ContractDraftEntity {
  const now = tx.now();
  return tx.repo(ContractDraftEntity).create({
    id: newId('cdr', now.getTime()),
    environmentId: tx.environmentId,
    source,
    connectionId,
    opportunityId,
    reviewSeq: 0,
    parentDraftId: null,
    status: 'PENDING',
    content,
    contentHash: contentHashOf(content),
    sourceHash: null,
    previousContent: null,
    syncChanges: null,
    issues: computeDraftIssues(content),
    sourceModstamp: null,
    rejectReason: null,
    confirmedContractId: null,
    confirmedCustomerId: null,
    createdAt: now,
    updatedAt: now,
  });
}
