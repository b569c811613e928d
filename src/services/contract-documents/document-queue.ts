import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { ContractDocumentEntity } from '../../entities/contract-document.entity';

/** How long a claim holds a document; a worker that died mid-read frees it when the lease ends. */
const CLAIM_LEASE_MS = 5 * 60_000;
/** Reads tried before a document is failed (a document that cannot be read fails at once). */
export const MAX_DOCUMENT_ATTEMPTS = 3;
const RETRY_DELAY_MS = 30_000;

export interface ClaimedDocument {
  document: ContractDocumentEntity;
  token: string;
}

/**
 * The documents waiting to be read, as a durable queue in contract_documents: a worker claims one with
 * `FOR UPDATE SKIP LOCKED` (several processes never take the same one) and a lease recorded on the row,
 * reads it outside any transaction, then records the outcome only while it still holds the claim.
 */
export class DocumentQueue {
  /** The next document to read; ABANDONED when the one found was failed instead (look again). */
  async claim(ctx: RequestContext): Promise<ClaimedDocument | 'ABANDONED' | null> {
    const token = randomUUID();
    const now = ctx.now();
    return withTransaction(ctx, async (tx) => {
      const document = await tx
        .repo(ContractDocumentEntity)
        .createQueryBuilder('d')
        .where('d.status = :status', { status: 'PROCESSING' })
        .andWhere('d.next_attempt_at <= :now', { now })
        .andWhere('(d.claimed_until IS NULL OR d.claimed_until < :now)', { now })
        .andWhere('d.deleted_at IS NULL')
        .orderBy('d.next_attempt_at', 'ASC')
        .addOrderBy('d.id', 'ASC')
        .limit(1)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getOne();
      if (!document) return null;
      if (document.attempts >= MAX_DOCUMENT_ATTEMPTS) {
        // Every attempt was cut off (a reader that died with its process, say): stop trying.
        await tx.repo(ContractDocumentEntity).update(
          { id: document.id },
          {
            status: 'FAILED',
            errorCode: 'READ_ABANDONED',
            error: `Reading was interrupted ${document.attempts} times`,
            claimToken: null,
            claimedUntil: null,
            updatedAt: now,
          },
        );
        return 'ABANDONED' as const;
      }
      const claim = {
        claimToken: token,
        claimedUntil: new Date(now.getTime() + CLAIM_LEASE_MS),
        attempts: document.attempts + 1,
      };
      await tx.repo(ContractDocumentEntity).update({ id: document.id }, claim);
      return { document: Object.assign(document, claim), token };
    });
  }

  /** Locks a claimed document for recording its outcome; null when the claim was lost (lease over, deleted). */
  async lockClaimed(tx: RequestContext, claimed: ClaimedDocument): Promise<ContractDocumentEntity | null> {
    const document = await tx.repo(ContractDocumentEntity).findOne({
      where: { id: claimed.document.id, environmentId: tx.environmentId },
      lock: { mode: 'pessimistic_write' },
    });
    return document && document.claimToken === claimed.token && document.status === 'PROCESSING'
      ? document
      : null;
  }

  /** A failed read: retried later while attempts remain and the failure may pass, else the document fails. */
  async recordFailure(
    ctx: RequestContext,
    claimed: ClaimedDocument,
    failure: { code: string; message: string; retriable: boolean },
  ): Promise<void> {
    await withTransaction(ctx, async (tx) => {
      const document = await this.lockClaimed(tx, claimed);
      if (!document) return;
      const now = tx.now();
      const retry = failure.retriable && document.attempts < MAX_DOCUMENT_ATTEMPTS;
      await tx.repo(ContractDocumentEntity).update(
        { id: document.id },
        {
          status: retry ? 'PROCESSING' : 'FAILED',
          errorCode: failure.code,
          error: failure.message.slice(0, 1000),
          nextAttemptAt: retry ? new Date(now.getTime() + RETRY_DELAY_MS * document.attempts) : now,
          claimToken: null,
          claimedUntil: null,
          updatedAt: now,
        },
      );
    });
  }
}
