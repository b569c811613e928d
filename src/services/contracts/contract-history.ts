import type { RequestContext } from '../../context';
import { notFound } from '../../domain/errors';
import { ContractAmendmentEntity } from '../../entities/contract-amendment.entity';
import { ContractEntity } from '../../entities/contract.entity';

/** Reads a contract's amendment history (creation, changes, renewals, cancellation). */
export class ContractHistoryService {
  /** Every amendment of the contract, oldest first. */
  async history(ctx: RequestContext, contractId: string): Promise<ContractAmendmentEntity[]> {
    const contract = await ctx
      .repo(ContractEntity)
      .findOne({ where: { id: contractId, environmentId: ctx.environmentId } });
    if (!contract || (ctx.portalCustomerId && contract.customerId !== ctx.portalCustomerId)) {
      throw notFound('Contract', contractId, 'contractId');
    }
    return ctx.repo(ContractAmendmentEntity).find({
      where: { contractId, environmentId: ctx.environmentId },
      // Amendments recorded in one instant (a frozen test clock, a lazy renewal before a change) keep the order
      // in which they take effect.
      order: { createdAt: 'ASC', effectiveAt: 'ASC', id: 'ASC' },
    });
  }

  async findAmendment(ctx: RequestContext, id: string): Promise<ContractAmendmentEntity> {
    return ctx
      .repo(ContractAmendmentEntity)
      .findOneOrFail({ where: { id, environmentId: ctx.environmentId } });
  }

  async findCancellation(ctx: RequestContext, contractId: string): Promise<ContractAmendmentEntity | null> {
    return ctx.repo(ContractAmendmentEntity).findOne({
      where: { contractId, environmentId: ctx.environmentId, kind: 'CANCELLED' },
      order: { createdAt: 'DESC' },
    });
  }
}
