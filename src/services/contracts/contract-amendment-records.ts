import type { RequestContext } from '../../context';
import { newId } from '../../domain/ids';
import { ContractAmendmentEntity, type AmendmentSource } from '../../entities/contract-amendment.entity';
import { ContractEntity } from '../../entities/contract.entity';
import { liveTopics, publishAfterCommit, type PubSub } from '../common';

/** Writes back the contract fields a change or a renewal may alter. */
export async function saveContract(tx: RequestContext, contract: ContractEntity): Promise<void> {
  contract.updatedAt = tx.now();
  await tx.repo(ContractEntity).update(
    { id: contract.id },
    {
      planId: contract.planId,
      status: contract.status,
      endDate: contract.endDate,
      billingCycle: contract.billingCycle,
      billingAnchor: contract.billingAnchor,
      autoRenew: contract.autoRenew,
      updatedAt: contract.updatedAt,
    },
  );
}

/** Records an amendment (who, when, what, source) of the contract. */
export async function insertAmendment(
  tx: RequestContext,
  contract: ContractEntity,
  fields: {
    kind: string;
    source: AmendmentSource;
    actor: string;
    effectiveAt: Date;
    details: Record<string, unknown>;
    idempotencyKey: string | null;
  },
): Promise<ContractAmendmentEntity> {
  const now = tx.now();
  const id = newId('cam', now.getTime());
  const amendment = tx.repo(ContractAmendmentEntity).create({
    ...fields,
    id,
    environmentId: tx.environmentId,
    contractId: contract.id,
    actor: fields.actor.slice(0, 100),
    result: { contractId: contract.id, amendmentId: id },
    createdAt: now,
  });
  // TypeORM's insert typing cannot express JSON columns typed as records; the entity is complete.
  await tx.repo(ContractAmendmentEntity).insert(amendment as never);
  return amendment;
}

/** Live draft invoices of the customer re-price once this commits. */
export function announceContractChange(tx: RequestContext, pubsub: PubSub, contract: ContractEntity): void {
  publishAfterCommit(tx, pubsub, liveTopics.contracts(tx.environmentId, contract.customerId), {
    customerId: contract.customerId,
    contractId: contract.id,
  });
}
