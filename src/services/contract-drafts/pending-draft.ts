import type { RequestContext } from '../../context';
import { conflict, notFound } from '../../domain/errors';
import { ContractDraftEntity } from '../../entities/contract-draft.entity';

/**
 * Locks a draft of the caller's environment for an ops action (edit, reject, confirm), which only a
 * pending draft accepts; the lock keeps a concurrent sync from changing it underneath.
 */
export async function lockPendingDraft(tx: RequestContext, id: string): Promise<ContractDraftEntity> {
  const draft = await tx.repo(ContractDraftEntity).findOne({
    where: { id, environmentId: tx.environmentId },
    lock: { mode: 'pessimistic_write' },
  });
  if (!draft) throw notFound('Contract draft', id);
  if (draft.status !== 'PENDING')
    throw conflict(`Contract draft ${id} is ${draft.status}, not PENDING`, 'id');
  return draft;
}
