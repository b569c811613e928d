import { crmChanges } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import type { ContractDraftContent } from '../../domain/contract-draft';
import { badInput } from '../../domain/errors';
import { ContractDraftEntity } from '../../entities/contract-draft.entity';
import type { ContractEntity } from '../../entities/contract.entity';
import type { CrmOutboxService } from '../crm';
import { draftIssues } from './draft-issues';
import type { DraftQueryService } from './draft-query.service';
import { lockPendingDraft } from './pending-draft';
import type { WebhookEventSink } from '../webhooks';

/** What a confirmer receives: the draft as reviewed, plus what it belongs to. */
export interface ConfirmableContractDraft {
  id: string;
  environmentId: string;
  source: 'SALESFORCE' | 'MANUAL';
  opportunityId: string | null;
  /** Set for a review item: the change applies to the contract of the parent draft, which is already live. */
  parentDraftId: string | null;
  parentContractId: string | null;
  content: ContractDraftContent;
  /** For an expansion's deal: unexpired promotional credits of the self-serve contract carry over. */
  carryOverPromotionalCredits: boolean;
}

export interface ConfirmOptions {
  /** Default true; false lets the self-serve contract's promotional credits end with it. */
  carryOverPromotionalCredits?: boolean | null;
}

/**
 * Turns a reviewed draft into billing: creates or matches the customer (by `salesforceAccountId`),
 * creates the contract with its overrides, grants the credits, issues the commitment invoice and
 * pre-generates the period invoices, and enqueues the CRM changes of what it created (Account, Contract).
 * It runs INSIDE the draft service's transaction: use `ctx.manager` / `ctx.repo` only, and throw to roll back.
 */
export interface ContractDraftConfirmer {
  confirm(
    ctx: RequestContext,
    draft: ConfirmableContractDraft,
  ): Promise<{ contractId: string; customerId: string }>;
}

/**
 * Called before a deal's contract is created, in the confirmation's transaction: it may end another
 * contract the new one replaces (an expansion's self-serve contract) and returns what to run once the new
 * contract exists, or null.
 */
export type ReplacedContractHook = (
  tx: RequestContext,
  deal: {
    opportunityId: string | null;
    customerId: string;
    startDate: Date;
    carryOverPromotionalCredits: boolean;
  },
) => Promise<((contract: ContractEntity) => Promise<void>) | null>;

/** Ops' decision on a pending draft: confirm it into billing, or reject it with a reason. */
export class DraftDecisionService {
  constructor(
    private readonly outbox: CrmOutboxService,
    private readonly confirmer: ContractDraftConfirmer,
    private readonly queries: DraftQueryService,
    private readonly webhooks: WebhookEventSink,
  ) {}

  async reject(ctx: RequestContext, id: string, reason: string): Promise<ContractDraftEntity> {
    const trimmed = reason?.trim() ?? '';
    if (!trimmed || trimmed.length > 1000) throw badInput('reason', 'must be 1 to 1000 characters');
    return withTransaction(ctx, async (tx) => {
      const draft = await lockPendingDraft(tx, id);
      Object.assign(draft, { status: 'REJECTED', rejectReason: trimmed, updatedAt: tx.now() });
      await tx
        .repo(ContractDraftEntity)
        .update({ id }, { status: 'REJECTED', rejectReason: trimmed, updatedAt: draft.updatedAt });
      return draft;
    });
  }

  /**
   * Confirms a pending draft in one transaction: the confirmer creates the customer, contract, credits
   * and invoices; then the Opportunity is linked to the new contract in Salesforce through the outbox.
   */
  async confirm(ctx: RequestContext, id: string, options: ConfirmOptions = {}): Promise<ContractDraftEntity> {
    return withTransaction(ctx, async (tx) => {
      const draft = await lockPendingDraft(tx, id);
      const blocking = (await draftIssues(tx, draft.content)).filter((i) => i.blocking);
      if (blocking.length) {
        throw badInput(
          `draft.${blocking[0].field}`,
          `Resolve before confirming: ${blocking.map((i) => i.message).join('; ')}`,
        );
      }
      const parent = draft.parentDraftId ? await this.queries.findById(tx, draft.parentDraftId) : null;
      const { contractId, customerId } = await this.confirmer.confirm(tx, {
        id: draft.id,
        environmentId: draft.environmentId,
        source: draft.source,
        opportunityId: draft.opportunityId,
        parentDraftId: draft.parentDraftId,
        parentContractId: parent?.confirmedContractId ?? null,
        content: draft.content,
        carryOverPromotionalCredits: options.carryOverPromotionalCredits ?? true,
      });
      Object.assign(draft, {
        status: 'CONFIRMED',
        confirmedContractId: contractId,
        confirmedCustomerId: customerId,
        updatedAt: tx.now(),
      });
      await tx.repo(ContractDraftEntity).update(
        { id },
        {
          status: 'CONFIRMED',
          confirmedContractId: contractId,
          confirmedCustomerId: customerId,
          updatedAt: draft.updatedAt,
        },
      );
      if (draft.source === 'SALESFORCE' && draft.opportunityId) {
        await this.outbox.enqueue(
          tx,
          crmChanges.opportunityContract({ opportunityId: draft.opportunityId, contractId }),
        );
      }
      await this.webhooks.record(tx, 'contract_draft.confirmed', draft.id);
      return draft;
    });
  }
}
