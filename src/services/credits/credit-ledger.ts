import type { RequestContext } from '../../context';
import { Decimal } from '../../domain/money';
import { CreditGrantEntity } from '../../entities/credit-grant.entity';
import {
  CreditLedgerEntryEntity,
  type CreditLedgerEntryKind,
} from '../../entities/credit-ledger-entry.entity';
import { liveTopics, publishAfterCommit } from '../common';
import type { PubSub } from '../common';

/**
 * The only code that writes credit balances. Every change to a grant's cached `remainingCents` is made
 * here, in the same statement batch as the ledger entries that explain it, so the cache always equals
 * the sum of the grant's entries.
 */

export interface LedgerEntryDraft {
  kind: CreditLedgerEntryKind;
  /** Signed minor units: positive for GRANT and REVERSAL, negative for DEDUCTION, EXPIRY and VOID. */
  amountCents: Decimal;
  /** Unique per grant (see CreditLedgerEntryEntity.dedupeKey). */
  dedupeKey: string;
  description: string;
  invoiceId?: string | null;
  invoiceLineKey?: string | null;
  meterCode?: string | null;
  dimensions?: Record<string, string> | null;
}

/** The pubsub topic on which a customer's balance changes are announced (`credits:<env>:<customer>`). */
export const creditBalanceTopic = liveTopics.credits;

export interface CreditBalanceChanged {
  environmentId: string;
  customerId: string;
  reason: CreditLedgerEntryKind;
}

/** Announces a balance change once the surrounding transaction has committed (never for rolled-back work). */
export function publishBalanceChanged(
  tx: RequestContext,
  pubsub: PubSub,
  customerId: string,
  reason: CreditLedgerEntryKind,
): void {
  const message: Omit<CreditBalanceChanged, 'environmentId'> = { customerId, reason };
  publishAfterCommit(tx, pubsub, creditBalanceTopic(tx.environmentId, customerId), message);
}

/**
 * Appends `drafts` to the ledger of `grant` and moves its cached balance by their sum.
 *
 * The caller must hold the grant's row lock (SELECT … FOR UPDATE in this transaction) and pass the row it
 * read under that lock. The UPDATE still compares against the balance it expects: if anything moved the
 * balance without the lock, it fails loudly instead of writing a ledger that does not add up.
 * Mutates `grant.remainingCents` to the new balance.
 */
export async function appendToGrant(
  tx: RequestContext,
  grant: CreditGrantEntity,
  drafts: readonly LedgerEntryDraft[],
): Promise<CreditLedgerEntryEntity[]> {
  if (!drafts.length) return [];
  const now = tx.now();
  let balance = grant.remainingCents;
  const rows = drafts.map((draft) => {
    if (!draft.amountCents.isInteger() || draft.amountCents.isZero()) {
      throw new Error(`ledger entry for grant ${grant.id} must be a non-zero whole number of cents`);
    }
    balance = balance.plus(draft.amountCents);
    if (balance.isNegative() || balance.gt(grant.amountCents)) {
      throw new Error(`ledger entry would take grant ${grant.id} to ${balance.toFixed()} cents`);
    }
    return tx.repo(CreditLedgerEntryEntity).create({
      environmentId: grant.environmentId,
      customerId: grant.customerId,
      grantId: grant.id,
      currency: grant.currency,
      kind: draft.kind,
      amountCents: draft.amountCents,
      grantBalanceAfterCents: balance,
      dedupeKey: draft.dedupeKey,
      description: draft.description.slice(0, 500),
      invoiceId: draft.invoiceId ?? null,
      invoiceLineKey: draft.invoiceLineKey ?? null,
      meterCode: draft.meterCode ?? null,
      dimensions: draft.dimensions ?? null,
      createdAt: now,
    });
  });
  await tx.repo(CreditLedgerEntryEntity).insert(rows);
  const result = await tx
    .repo(CreditGrantEntity)
    .createQueryBuilder()
    .update()
    .set({ remainingCents: balance })
    .where('id = :id AND remaining_cents = :expected', {
      id: grant.id,
      expected: grant.remainingCents.toFixed(),
    })
    .execute();
  if (result.affected !== 1) {
    throw new Error(`grant ${grant.id} changed without its row lock; refusing to write the ledger`);
  }
  grant.remainingCents = new Decimal(balance);
  return rows;
}

/**
 * Every grant of the customer (any currency or status), oldest id first; with `lock`, each row is locked
 * FOR UPDATE in that order. Every transaction that moves several grants of one customer (the drawdown at
 * finalization, the reversal at void) locks them all this way, so such transactions queue behind each other
 * instead of deadlocking, and each computes from balances no one else can move until it commits. The
 * statement scans the (environment_id, customer_id) index, whose entries are ordered by id per customer.
 */
export async function readCustomerGrants(
  ctx: RequestContext,
  customerId: string,
  lock: boolean,
): Promise<CreditGrantEntity[]> {
  const qb = ctx
    .repo(CreditGrantEntity)
    .createQueryBuilder('g')
    .useIndex('ix_credit_grants_customer')
    .where('g.environment_id = :env AND g.customer_id = :customer', {
      env: ctx.environmentId,
      customer: customerId,
    })
    .orderBy('g.id', 'ASC');
  if (lock) qb.setLock('pessimistic_write');
  return qb.getMany();
}

/** Locks one grant of the caller's environment (FOR UPDATE) and returns it as stored now, or null. */
export async function lockGrant(tx: RequestContext, grantId: string): Promise<CreditGrantEntity | null> {
  return tx.repo(CreditGrantEntity).findOne({
    where: { id: grantId, environmentId: tx.environmentId },
    lock: { mode: 'pessimistic_write' },
  });
}
