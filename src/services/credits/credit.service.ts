import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { AppError, conflict, ErrorCode, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { type Decimal, formatAmount, fromMinorUnits, ZERO } from '../../domain/money';
import { contractEndExclusive } from '../../domain/periods';
import { ContractEntity } from '../../entities/contract.entity';
import { CreditGrantEntity, type CreditGrantType } from '../../entities/credit-grant.entity';
import { InvoiceEntity } from '../../entities/invoice.entity';
import type { CommitmentInvoiceIssuer } from './credit-commitment-invoice';
import {
  checkCents,
  checkDescription,
  checkExpiry,
  checkIdempotencyKey,
  checkOptionalCents,
  type CentsInput,
} from './credit-inputs';
import { appendToGrant, lockGrant, publishBalanceChanged } from './credit-ledger';
import { rollOverAtExpiry } from './credit-rollover';
import { isDuplicateKeyError } from '../common';
import type { PubSub } from '../common';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';

/** `createContract`'s credit fields (the seeds' `creditGrantCents` and `creditSettings`). */
export interface ContractCreditsInput {
  creditGrantCents?: CentsInput | null;
  creditSettings?: {
    description?: string | null;
    /** Default: the contract's end (never, for an evergreen contract). */
    expiresAt?: Date | null;
    /** When set, a COMMITMENT invoice for this amount is issued at the contract's start. */
    invoiceAmountCents?: CentsInput | null;
  } | null;
}

export interface GrantPromotionalCreditsInput {
  amountCents: CentsInput;
  description?: string | null;
  /** Null/absent = never expires. */
  expiresAt?: Date | null;
  idempotencyKey?: string | null;
}

export interface GrantPrepaidCreditsInput extends GrantPromotionalCreditsInput {
  /** What the customer pays for the top-up; a COMMITMENT invoice is issued when set. */
  invoiceAmountCents?: CentsInput | null;
}

/** A validated grant, ready to write. */
interface GrantSpec {
  contract: ContractEntity;
  type: CreditGrantType;
  amountCents: Decimal;
  description: string;
  effectiveAt: Date;
  expiresAt: Date | null;
  invoiceAmountCents: Decimal | null;
  idempotencyKey: string | null;
}

const IDEMPOTENCY_KEY_INDEX = 'uq_credit_grants_idempotency';

/**
 * Granting, voiding and expiring credits. Every balance change goes through `credit-ledger.ts`
 * (entry + cached remaining, under the grant's row lock); drawdown on invoices lives in
 * `credit-drawdown.service.ts`; balances and history in `credit-query.service.ts`.
 */
export class CreditService {
  constructor(
    private readonly pubsub: PubSub,
    private readonly commitmentInvoices: CommitmentInvoiceIssuer,
    private readonly webhooks: WebhookEventSink = noWebhookEvents,
  ) {}

  /**
   * Called by contract creation inside its transaction (so a bad credit input rolls the contract back
   * too). Grants nothing when `creditGrantCents` is absent. The grant is available from the contract's
   * start; with `invoiceAmountCents`, a COMMITMENT invoice is issued for it.
   */
  async grantAtContractCreation(
    tx: RequestContext,
    contract: ContractEntity,
    input: ContractCreditsInput,
  ): Promise<CreditGrantEntity | null> {
    const settings = input.creditSettings ?? null;
    if (input.creditGrantCents === null || input.creditGrantCents === undefined) {
      if (settings) {
        throw new AppError(
          ErrorCode.BAD_USER_INPUT,
          'creditSettings need creditGrantCents (the credits to grant)',
          'input.creditGrantCents',
        );
      }
      return null;
    }
    const spec: GrantSpec = {
      contract,
      type: 'PREPAID',
      amountCents: checkCents(input.creditGrantCents, 'input.creditGrantCents'),
      description: checkDescription(
        settings?.description,
        'input.creditSettings.description',
        'Prepaid credits',
      ),
      effectiveAt: contract.startDate,
      expiresAt:
        checkExpiry(settings?.expiresAt, contract.startDate, 'input.creditSettings.expiresAt') ??
        contractEndExclusive(contract.endDate),
      invoiceAmountCents: checkOptionalCents(
        settings?.invoiceAmountCents,
        'input.creditSettings.invoiceAmountCents',
      ),
      idempotencyKey: null,
    };
    return this.insertGrant(tx, spec);
  }

  /** Promotional credits for a contract's customer: free, drawn before prepaid credits on an expiry tie. */
  async grantPromotionalCredits(
    ctx: RequestContext,
    contractId: string,
    input: GrantPromotionalCreditsInput,
  ): Promise<CreditGrantEntity> {
    return this.grantLater(ctx, contractId, 'PROMOTIONAL', input, null);
  }

  /** A prepaid top-up; with `invoiceAmountCents` the customer is invoiced for it (COMMITMENT invoice). */
  async grantPrepaidCredits(
    ctx: RequestContext,
    contractId: string,
    input: GrantPrepaidCreditsInput,
  ): Promise<CreditGrantEntity> {
    const invoiceAmountCents = checkOptionalCents(input.invoiceAmountCents, 'input.invoiceAmountCents');
    return this.grantLater(ctx, contractId, 'PREPAID', input, invoiceAmountCents);
  }

  /**
   * Writes off what is left of a grant (a VOID entry). Voiding a voided grant returns it unchanged;
   * an expired grant cannot be voided (its remainder is already breakage).
   */
  async voidGrant(ctx: RequestContext, grantId: string): Promise<CreditGrantEntity> {
    return withTransaction(ctx, async (tx) => {
      const grant = await lockGrant(tx, grantId);
      if (!grant) throw notFound('Credit grant', grantId, 'id');
      if (grant.status === 'VOIDED') return grant;
      if (grant.status === 'EXPIRED') throw conflict(`Credit grant ${grantId} has already expired`, 'id');
      await this.close(tx, grant, 'VOIDED');
      return grant;
    });
  }

  /**
   * Expires one grant whose `expiresAt` has passed, writing its remainder off as an EXPIRY entry (breakage).
   * Exactly once: the grant row is locked and its status re-read under the lock.
   *
   * Held back while the customer still has an open (DRAFT) invoice that may draw on the grant, i.e. one whose
   * period started before the expiry: the Q4 invoice of a calendar year finalizes after Dec 31, and the
   * credits must still cover it. Returns true when the grant was expired.
   */
  async expireGrant(ctx: RequestContext, grantId: string): Promise<boolean> {
    return withTransaction(ctx, async (tx) => {
      const grant = await lockGrant(tx, grantId);
      if (!grant || grant.status !== 'ACTIVE' || grant.expiresAt === null) return false;
      if (grant.expiresAt.getTime() > tx.now().getTime()) return false;
      if (await this.hasOpenInvoiceDrawingOn(tx, grant)) return false;
      // A renewed contract's rollover share moves to a grant of the new term first; the rest is breakage.
      await rollOverAtExpiry(tx, grant, (t, spec) =>
        this.insertGrant(t, { ...spec, type: 'PREPAID', invoiceAmountCents: null }),
      );
      await this.close(tx, grant, 'EXPIRED');
      return true;
    });
  }

  /**
   * ACTIVE grants (any environment) whose expiry has passed, in expiry order, after the keyset cursor.
   * For the expiry worker, which runs with a system context.
   */
  async findGrantsPastExpiry(
    ctx: RequestContext,
    limit: number,
    after: { expiresAt: Date; id: string } | null,
  ): Promise<Array<{ id: string; environmentId: string; organizationId: string; expiresAt: Date }>> {
    const qb = ctx
      .repo(CreditGrantEntity)
      .createQueryBuilder('g')
      .innerJoin('environments', 'e', 'e.id = g.environment_id')
      .select([
        'g.id AS id',
        'g.environment_id AS environmentId',
        'e.organization_id AS organizationId',
        'g.expires_at AS expiresAt',
      ])
      .where("g.status = 'ACTIVE' AND g.expires_at <= :now", { now: ctx.now() });
    if (after) {
      qb.andWhere('(g.expires_at > :afterAt OR (g.expires_at = :afterAt AND g.id > :afterId))', {
        afterAt: after.expiresAt,
        afterId: after.id,
      });
    }
    const rows = await qb
      .orderBy('g.expires_at', 'ASC')
      .addOrderBy('g.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string; environmentId: string; organizationId: string; expiresAt: Date | string }>();
    return rows.map((row) => ({ ...row, expiresAt: new Date(row.expiresAt) }));
  }

  async getGrantOrThrow(ctx: RequestContext, grantId: string): Promise<CreditGrantEntity> {
    const grant = await ctx
      .repo(CreditGrantEntity)
      .findOne({ where: { id: grantId, environmentId: ctx.environmentId } });
    if (!grant) throw notFound('Credit grant', grantId, 'id');
    return grant;
  }

  // ---------------------------------------------------------------------------------------------------

  private async grantLater(
    ctx: RequestContext,
    contractId: string,
    type: CreditGrantType,
    input: GrantPromotionalCreditsInput,
    invoiceAmountCents: Decimal | null,
  ): Promise<CreditGrantEntity> {
    const amountCents = checkCents(input.amountCents, 'input.amountCents');
    const idempotencyKey = checkIdempotencyKey(input.idempotencyKey, 'input.idempotencyKey');
    const fallback = type === 'PROMOTIONAL' ? 'Promotional credits' : 'Prepaid credits';
    const description = checkDescription(input.description, 'input.description', fallback);
    try {
      return await withTransaction(ctx, async (tx) => {
        const contract = await this.getContractOrThrow(tx, contractId);
        // Available now, or from the contract's start when it has not started yet.
        const now = tx.now();
        const effectiveAt = contract.startDate.getTime() > now.getTime() ? contract.startDate : now;
        const spec: GrantSpec = {
          contract,
          type,
          amountCents,
          description,
          effectiveAt,
          expiresAt: checkExpiry(input.expiresAt, effectiveAt, 'input.expiresAt'),
          invoiceAmountCents,
          idempotencyKey,
        };
        return this.insertGrant(tx, spec);
      });
    } catch (error) {
      // Enforced by the unique key, not by reading first: a concurrent repeat waits on the first insert
      // and fails here once it commits. The whole attempt rolled back; answer with the first result.
      if (idempotencyKey === null || !isDuplicateKeyError(error, IDEMPOTENCY_KEY_INDEX)) throw error;
      return this.replay(ctx, idempotencyKey, { contractId, type, amountCents, invoiceAmountCents });
    }
  }

  /** The grant first created with `key`, provided the repeat asks for the same thing. */
  private async replay(
    ctx: RequestContext,
    key: string,
    asked: {
      contractId: string;
      type: CreditGrantType;
      amountCents: Decimal;
      invoiceAmountCents: Decimal | null;
    },
  ): Promise<CreditGrantEntity> {
    // A locking read sees the latest committed row even inside an older snapshot (FOR UPDATE: MariaDB has
    // no FOR SHARE, which is what TypeORM writes for a shared lock).
    const first = await withTransaction(ctx, (tx) =>
      tx.repo(CreditGrantEntity).findOne({
        where: { environmentId: tx.environmentId, idempotencyKey: key },
        lock: { mode: 'pessimistic_write' },
      }),
    );
    if (!first) throw new Error(`idempotency key ${key} collided but its grant is not visible`);
    const same =
      first.contractId === asked.contractId &&
      first.type === asked.type &&
      first.amountCents.eq(asked.amountCents) &&
      (first.invoiceAmountCents?.toFixed() ?? null) === (asked.invoiceAmountCents?.toFixed() ?? null);
    if (!same) {
      throw conflict(
        `Idempotency key ${key} was already used for a different grant (${first.id})`,
        'input.idempotencyKey',
      );
    }
    return first;
  }

  private async getContractOrThrow(tx: RequestContext, contractId: string): Promise<ContractEntity> {
    const contract = await tx
      .repo(ContractEntity)
      .findOne({ where: { id: contractId, environmentId: tx.environmentId } });
    if (!contract) throw notFound('Contract', contractId, 'contractId');
    if (contract.status === 'CANCELLED') {
      throw conflict(`Contract ${contractId} is cancelled; credits cannot be granted on it`, 'contractId');
    }
    return contract;
  }

  /**
   * Inserts the grant (claiming its idempotency key first), its GRANT entry, and the commitment invoice.
   * The row starts at 0 and reaches the granted amount through the GRANT entry, like every other change.
   */
  private async insertGrant(tx: RequestContext, spec: GrantSpec): Promise<CreditGrantEntity> {
    const { contract } = spec;
    const now = tx.now();
    const grant = tx.repo(CreditGrantEntity).create({
      id: newId('crg', now.getTime()),
      environmentId: contract.environmentId,
      customerId: contract.customerId,
      contractId: contract.id,
      type: spec.type,
      status: 'ACTIVE',
      currency: contract.currency,
      amountCents: spec.amountCents,
      remainingCents: ZERO,
      description: spec.description,
      effectiveAt: spec.effectiveAt,
      expiresAt: spec.expiresAt,
      invoiceAmountCents: spec.invoiceAmountCents,
      commitmentInvoiceId: null,
      idempotencyKey: spec.idempotencyKey,
      createdAt: now,
      closedAt: null,
    });
    await tx.repo(CreditGrantEntity).insert(grant);
    await appendToGrant(tx, grant, [
      { kind: 'GRANT', amountCents: spec.amountCents, dedupeKey: 'GRANT', description: spec.description },
    ]);
    if (spec.invoiceAmountCents !== null) {
      const invoice = await this.commitmentInvoices.issue(tx, {
        contract,
        amount: fromMinorUnits(spec.invoiceAmountCents.toFixed(), contract.currency),
        description: spec.description,
        coversFrom: spec.effectiveAt,
        coversTo: spec.expiresAt,
      });
      grant.commitmentInvoiceId = invoice.id;
      await tx.repo(CreditGrantEntity).update({ id: grant.id }, { commitmentInvoiceId: invoice.id });
    }
    await this.webhooks.record(tx, 'credits.granted', grant.id);
    publishBalanceChanged(tx, this.pubsub, grant.customerId, 'GRANT');
    tx.log.info(
      {
        grantId: grant.id,
        customerId: grant.customerId,
        amount: formatAmount(fromMinorUnits(spec.amountCents.toFixed(), grant.currency), grant.currency),
      },
      'credits granted',
    );
    return grant;
  }

  /** Writes the remainder off (EXPIRY or VOID entry) and closes the grant. The grant must be locked. */
  private async close(
    tx: RequestContext,
    grant: CreditGrantEntity,
    status: 'EXPIRED' | 'VOIDED',
  ): Promise<void> {
    const kind = status === 'EXPIRED' ? 'EXPIRY' : 'VOID';
    if (grant.remainingCents.gt(0)) {
      await appendToGrant(tx, grant, [
        {
          kind,
          amountCents: grant.remainingCents.neg(),
          dedupeKey: 'CLOSE',
          description:
            kind === 'EXPIRY'
              ? `Expired at ${grant.expiresAt?.toISOString()}: ${grant.description}`
              : `Voided: ${grant.description}`,
        },
      ]);
      publishBalanceChanged(tx, this.pubsub, grant.customerId, kind);
    }
    grant.status = status;
    grant.closedAt = tx.now();
    await tx.repo(CreditGrantEntity).update({ id: grant.id }, { status, closedAt: grant.closedAt });
    if (status === 'EXPIRED') await this.webhooks.record(tx, 'credits.expired', grant.id);
  }

  /** A DRAFT invoice of the customer, in the grant's currency, whose period the grant could still cover. */
  private async hasOpenInvoiceDrawingOn(tx: RequestContext, grant: CreditGrantEntity): Promise<boolean> {
    const open = await tx
      .repo(InvoiceEntity)
      .createQueryBuilder('i')
      .where('i.environment_id = :env AND i.customer_id = :customer AND i.currency = :currency', {
        env: grant.environmentId,
        customer: grant.customerId,
        currency: grant.currency,
      })
      .andWhere("i.status = 'DRAFT' AND i.kind <> 'COMMITMENT'")
      .andWhere('i.period_start < :expiresAt AND i.period_end > :effectiveAt', {
        expiresAt: grant.expiresAt,
        effectiveAt: grant.effectiveAt,
      })
      .limit(1)
      .getCount();
    return open > 0;
  }
}
