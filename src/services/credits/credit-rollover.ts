import type { RequestContext } from '../../context';
import { rolloverCents } from '../../domain/credit-rollover';
import { Decimal, formatAmount, fromMinorUnits } from '../../domain/money';
import { contractEndExclusive } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import { appendToGrant } from './credit-ledger';

/** What a rolled-over grant needs to be created (CreditService's own insert, GRANT entry included). */
export type InsertRolledGrant = (
  tx: RequestContext,
  spec: {
    contract: ContractEntity;
    amountCents: Decimal;
    description: string;
    effectiveAt: Date;
    expiresAt: Date | null;
    idempotencyKey: string;
  },
) => Promise<CreditGrantEntity>;

/**
 * At a prepaid grant's expiry, moves the contract's rollover share of what is left into a new PREPAID grant
 * effective from the old expiry and expiring with the contract's renewed term: a ROLLOVER entry on the old
 * grant, a GRANT entry on the new one. Only when the contract has rollover terms and continues past the
 * grant (it was renewed); the caller then expires the rest as breakage. The old grant must be locked.
 * Returns the new grant, or null when nothing rolls over.
 */
export async function rollOverAtExpiry(
  tx: RequestContext,
  grant: CreditGrantEntity,
  insert: InsertRolledGrant,
): Promise<CreditGrantEntity | null> {
  if (grant.type !== 'PREPAID' || !grant.contractId || !grant.expiresAt || !grant.remainingCents.gt(0)) {
    return null;
  }
  const contract = await tx
    .repo(ContractEntity)
    .findOne({ where: { id: grant.contractId, environmentId: tx.environmentId } });
  if (!contract || contract.status !== 'ACTIVE') return null;
  if (!contract.rolloverFraction && !contract.rolloverCap) return null;
  const termEnd = contractEndExclusive(contract.endDate);
  if (!termEnd || termEnd.getTime() <= grant.expiresAt.getTime()) return null;
  const cents = rolloverCents(
    { fraction: contract.rolloverFraction, cap: contract.rolloverCap },
    grant.remainingCents,
    await rolledOutOfTerm(tx, contract.id, grant.expiresAt),
    grant.currency,
  );
  if (!cents.gt(0)) return null;
  const amount = formatAmount(fromMinorUnits(cents.toFixed(), grant.currency), grant.currency);
  await appendToGrant(tx, grant, [
    {
      kind: 'ROLLOVER',
      amountCents: cents.neg(),
      dedupeKey: 'ROLLOVER',
      description: `Rolled over ${amount} into the term to ${termEnd.toISOString()}: ${grant.description}`,
    },
  ]);
  return insert(tx, {
    contract,
    amountCents: cents,
    description: `Rolled over from ${grant.description}`.slice(0, 500),
    effectiveAt: grant.expiresAt,
    expiresAt: termEnd,
    idempotencyKey: `rollover:${grant.id}`,
  });
}

/** Cents already rolled into grants starting where this term ended (the cap is per term, not per grant). */
async function rolledOutOfTerm(tx: RequestContext, contractId: string, termEnd: Date): Promise<Decimal> {
  const rows = await tx
    .repo(CreditGrantEntity)
    .createQueryBuilder('g')
    .select('COALESCE(SUM(g.amount_cents), 0)', 'cents')
    .where('g.environment_id = :env AND g.contract_id = :contract AND g.effective_at = :at', {
      env: tx.environmentId,
      contract: contractId,
      at: termEnd,
    })
    .andWhere("g.idempotency_key LIKE 'rollover:%'")
    .getRawOne<{ cents: string | number }>();
  return new Decimal(String(rows?.cents ?? 0));
}
