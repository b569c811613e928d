import type { RequestContext } from '../../context';
import { badInput, notFound } from '../../domain/errors';
import { ContractEntity } from '../../entities/contract.entity';

const DAY_MS = 86_400_000;

/**
 * The currency a customer's single credit total is given in: the named contract's, else the customer's
 * contract in force now (the latest started), else their next one to start; null when they have none.
 * A contract of another customer is refused, so the figure can never mix two customers.
 */
export async function balanceCurrency(
  ctx: RequestContext,
  customerId: string,
  contractId: string | null,
): Promise<string | null> {
  if (contractId) {
    const contract = await ctx.repo(ContractEntity).findOne({
      select: { id: true, customerId: true, currency: true },
      where: { id: contractId, environmentId: ctx.environmentId },
    });
    if (!contract) throw notFound('Contract', contractId, 'contractId');
    if (contract.customerId !== customerId)
      throw badInput('contractId', `contract ${contractId} is not a contract of customer ${customerId}`);
    return contract.currency;
  }
  const contracts = await ctx.repo(ContractEntity).find({
    select: { id: true, currency: true, startDate: true, endDate: true },
    where: { customerId, environmentId: ctx.environmentId },
    order: { startDate: 'DESC', id: 'DESC' },
  });
  const now = ctx.now().getTime();
  const started = contracts.filter((c) => c.startDate.getTime() <= now);
  // `endDate` is the inclusive last day (00:00Z): the contract covers instants before the next midnight.
  const current = started.find((c) => c.endDate === null || c.endDate.getTime() + DAY_MS > now);
  return (current ?? started[0] ?? contracts[contracts.length - 1])?.currency ?? null;
}
