import { In } from 'typeorm';
import {
  crmChanges,
  mapOpportunity,
  parseSalesforceDateTime,
  type MappedOpportunity,
  type ProductMappingRule,
  type SalesforceFieldConfig,
  type SalesforceOpportunity,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import {
  DRAFT_BILLING_CYCLES,
  computeDraftIssues,
  decimalText,
  diffDraftContent,
  emptyDraftContent,
  isIsoDate,
  sha256Hex,
  stableStringify,
  type ContractDraftContent,
  type DraftBillingCycle,
} from '../../domain/contract-draft';
import { AppError, ErrorCode, badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import type { Decimal } from '../../domain/money';
import { ContractDraftEntity, type ContractDraftStatus } from '../../entities/contract-draft.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { PlanEntity } from '../../entities/plan.entity';
import { PricingEntity } from '../../entities/pricing.entity';
import type { CrmOutboxService } from '../crm';
import { loadDraftFeeCatalog } from './draft-fee-catalog';
import { pageById, type Page, type PageArgs } from '../common';

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

/** Wired until the contracts and credits services provide the real confirmer. */
export const unavailableContractDraftConfirmer: ContractDraftConfirmer = {
  async confirm() {
    throw new AppError(
      ErrorCode.INTERNAL,
      'Confirming contract drafts is not available yet: it needs the contracts and credits services',
    );
  },
};

export interface DraftTermsInput {
  customerId?: string | null;
  proposedCustomer?: {
    name: string;
    email?: string | null;
    address?: string | null;
    website?: string | null;
  } | null;
  currency?: string | null;
  contractStart?: string | null;
  contractEnd?: string | null;
  paymentTermsDays?: number | null;
  billingCycle?: DraftBillingCycle | null;
  plan?: { planId: string; quantity?: Decimal | null; unitPrice?: Decimal | null } | null;
  usagePricings?: Array<{
    pricingId: string;
    dimensions?: Record<string, string> | null;
    overrideRate?: Decimal | null;
  }>;
  flatFees?: Array<{
    pricingId?: string | null;
    description: string;
    quantity: Decimal;
    unitPrice: Decimal;
    serviceDate?: string | null;
  }>;
  prepaidCredits?: { grantAmount: Decimal; invoiceAmount: Decimal; expiresOn?: string | null } | null;
  /** Drops the line items that matched nothing (after ops decided they need no billing). */
  dismissUnmatchedLineItems?: boolean | null;
}

export interface DraftListArgs extends PageArgs {
  status?: ContractDraftStatus | null;
}

export interface SyncCounts {
  created: number;
  updated: number;
  unchanged: number;
  reviewItems: number;
  voided: number;
}

export const emptyCounts = (): SyncCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  reviewItems: 0,
  voided: 0,
});

const NOT_WON_SOURCE_HASH = sha256Hex('deal-no-longer-won');
const INSERT_CHUNK = 500;

function contentHashOf(content: ContractDraftContent): string {
  const { matchedCustomerId: _ignored, ...customer } = content.customer;
  return sha256Hex(stableStringify({ ...content, customer }));
}

/**
 * Contract Extraction drafts: upserted from Salesforce deals (by connection and Opportunity id, with a
 * content hash), created by hand, edited, rejected and confirmed by ops.
 */
export class ContractDraftService {
  constructor(
    private readonly outbox: CrmOutboxService,
    private confirmer: ContractDraftConfirmer = unavailableContractDraftConfirmer,
  ) {}

  /** The contracts service plugs its confirmer in here (or passes it to the constructor). */
  setConfirmer(confirmer: ContractDraftConfirmer): void {
    this.confirmer = confirmer;
  }

  async findById(ctx: RequestContext, id: string): Promise<ContractDraftEntity | null> {
    return ctx.repo(ContractDraftEntity).findOne({ where: { id, environmentId: ctx.environmentId } });
  }

  async getByIdOrThrow(ctx: RequestContext, id: string): Promise<ContractDraftEntity> {
    const draft = await this.findById(ctx, id);
    if (!draft) throw notFound('Contract draft', id);
    return draft;
  }

  async list(ctx: RequestContext, args: DraftListArgs): Promise<Page<ContractDraftEntity>> {
    const qb = ctx
      .repo(ContractDraftEntity)
      .createQueryBuilder('d')
      .where('d.environment_id = :env', { env: ctx.environmentId });
    if (args.status) qb.andWhere('d.status = :status', { status: args.status });
    return pageById(qb, args);
  }

  // ---------------------------------------------------------------- from Salesforce

  /**
   * Upserts the drafts of one page of won Opportunities, in the caller's transaction. Idempotent:
   * re-reading the same page changes nothing, so a crashed sync can simply run again.
   */
  async applyOpportunities(
    tx: RequestContext,
    connectionId: string,
    opportunities: SalesforceOpportunity[],
    mappings: ReadonlyMap<string, ProductMappingRule>,
    fields: SalesforceFieldConfig,
  ): Promise<SyncCounts> {
    const counts = emptyCounts();
    if (!opportunities.length) return counts;
    const customerIdByAccountId = await this.customersByAccount(tx, opportunities, fields);
    const mapped = opportunities.map((opportunity) =>
      mapOpportunity({ opportunity, mappings, fields, customerIdByAccountId }),
    );
    // The pure mapper cannot see the catalog: fees naming a pricing get their billing issues here.
    const feeCatalog = await loadDraftFeeCatalog(
      tx,
      mapped.map((item) => item.content),
    );
    for (const item of mapped) {
      if (item.content.flatFees.some((fee) => fee.pricingId !== null))
        item.issues = computeDraftIssues(item.content, feeCatalog);
    }
    const existing = await tx.repo(ContractDraftEntity).find({
      where: { connectionId, opportunityId: In(opportunities.map((o) => o.Id)) },
      order: { reviewSeq: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const byOpportunity = new Map<string, ContractDraftEntity[]>();
    for (const draft of existing)
      byOpportunity.set(draft.opportunityId!, [...(byOpportunity.get(draft.opportunityId!) ?? []), draft]);

    const inserts: ContractDraftEntity[] = [];
    for (const item of mapped) {
      const drafts = byOpportunity.get(item.content.opportunity!.id) ?? [];
      const primary = drafts.find((d) => d.reviewSeq === 0);
      if (!primary) {
        inserts.push(this.newSalesforceDraft(tx, connectionId, item, 0, null, null));
        counts.created++;
        continue;
      }
      // An older read (e.g. a poll page fetched before a trigger's re-read) never overwrites a newer one.
      if (primary.sourceModstamp && item.systemModstamp < primary.sourceModstamp) {
        counts.unchanged++;
        continue;
      }
      if (primary.status === 'CONFIRMED') {
        const latest = drafts[drafts.length - 1];
        const knownSource = latest.sourceHash;
        if (knownSource === item.sourceHash) {
          counts.unchanged++;
          continue;
        }
        const open = drafts.find((d) => d.reviewSeq > 0 && d.status === 'PENDING');
        if (open) {
          await this.updateFromSync(tx, open, item);
          counts.updated++;
        } else {
          // Never a silent change to a live contract: a separate item for the reviewer, diffed against it.
          const review = this.newSalesforceDraft(
            tx,
            connectionId,
            item,
            latest.reviewSeq + 1,
            primary.id,
            primary.content,
          );
          inserts.push(review);
          counts.reviewItems++;
        }
        continue;
      }
      if (primary.contentHash === item.contentHash && primary.status !== 'VOID') {
        counts.unchanged++;
        continue;
      }
      await this.updateFromSync(tx, primary, item);
      counts.updated++;
    }
    for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
      await tx.repo(ContractDraftEntity).insert(inserts.slice(i, i + INSERT_CHUNK));
    }
    return counts;
  }

  /**
   * Deals that are no longer won (or were deleted): their pending drafts and review items are voided.
   * A confirmed draft gets a review item instead, since its contract is live.
   */
  async voidOpportunities(
    tx: RequestContext,
    connectionId: string,
    opportunities: Array<{ Id: string; SystemModstamp: string }>,
  ): Promise<number> {
    if (!opportunities.length) return 0;
    const modstamps = new Map(opportunities.map((o) => [o.Id, parseSalesforceDateTime(o.SystemModstamp)]));
    const drafts = await tx.repo(ContractDraftEntity).find({
      where: { connectionId, opportunityId: In([...modstamps.keys()]) },
      order: { reviewSeq: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    let voided = 0;
    const now = tx.now();
    for (const draft of drafts) {
      const modstamp = modstamps.get(draft.opportunityId!)!;
      if (draft.sourceModstamp && modstamp < draft.sourceModstamp) continue;
      if (draft.status === 'PENDING') {
        await tx
          .repo(ContractDraftEntity)
          .update({ id: draft.id }, { status: 'VOID', sourceModstamp: modstamp, updatedAt: now });
        voided++;
      }
    }
    for (const primary of drafts.filter((d) => d.reviewSeq === 0 && d.status === 'CONFIRMED')) {
      const family = drafts.filter((d) => d.opportunityId === primary.opportunityId);
      const latest = family[family.length - 1];
      if (latest.sourceHash === NOT_WON_SOURCE_HASH) continue;
      const content: ContractDraftContent = {
        ...primary.content,
        extractionWarnings: [
          ...primary.content.extractionWarnings,
          { field: 'note:opportunity', message: 'The deal is no longer won in Salesforce (or was deleted)' },
        ],
      };
      await tx.repo(ContractDraftEntity).insert({
        ...this.baseRow(tx, 'SALESFORCE', connectionId, primary.opportunityId, content),
        reviewSeq: latest.reviewSeq + 1,
        parentDraftId: primary.id,
        sourceHash: NOT_WON_SOURCE_HASH,
        sourceModstamp: modstamps.get(primary.opportunityId!)!,
        previousContent: primary.content,
        syncChanges: [{ field: 'opportunity.isWon', before: 'true', after: 'false' }],
      });
    }
    return voided;
  }

  private async customersByAccount(
    tx: RequestContext,
    opportunities: SalesforceOpportunity[],
    fields: SalesforceFieldConfig,
  ): Promise<Map<string, string>> {
    const accountIds = [
      ...new Set(opportunities.map((o) => o.AccountId ?? o.Account?.Id).filter((id): id is string => !!id)),
    ];
    const map = new Map<string, string>();
    if (!accountIds.length) return map;
    const bySalesforceId = await tx.repo(CustomerEntity).find({
      select: { id: true, salesforceAccountId: true },
      where: { environmentId: tx.environmentId, salesforceAccountId: In(accountIds) },
    });
    for (const customer of bySalesforceId) map.set(customer.salesforceAccountId!, customer.id);
    // The customer id Tally wrote back onto the Account also identifies the customer.
    if (fields.accountCustomerIdField) {
      const written = new Map<string, string>();
      for (const o of opportunities) {
        const value = o.Account?.[fields.accountCustomerIdField];
        const accountId = o.AccountId ?? o.Account?.Id;
        if (typeof value === 'string' && value && accountId && !map.has(accountId))
          written.set(value, accountId);
      }
      if (written.size) {
        const found = await tx.repo(CustomerEntity).find({
          select: { id: true },
          where: { environmentId: tx.environmentId, id: In([...written.keys()]) },
        });
        for (const customer of found) map.set(written.get(customer.id)!, customer.id);
      }
    }
    return map;
  }

  private baseRow(
    tx: RequestContext,
    source: 'SALESFORCE' | 'MANUAL',
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

  private newSalesforceDraft(
    tx: RequestContext,
    connectionId: string,
    item: MappedOpportunity,
    reviewSeq: number,
    parentDraftId: string | null,
    compareWith: ContractDraftContent | null,
  ): ContractDraftEntity {
    const row = this.baseRow(tx, 'SALESFORCE', connectionId, item.content.opportunity!.id, item.content);
    return Object.assign(row, {
      reviewSeq,
      parentDraftId,
      contentHash: item.contentHash,
      sourceHash: item.sourceHash,
      sourceModstamp: item.systemModstamp,
      issues: item.issues,
      previousContent: compareWith,
      syncChanges: compareWith ? diffDraftContent(compareWith, item.content) : null,
    });
  }

  private async updateFromSync(
    tx: RequestContext,
    draft: ContractDraftEntity,
    item: MappedOpportunity,
  ): Promise<void> {
    // A rejected or voided deal that changed (or is won again) comes back for review.
    await tx.repo(ContractDraftEntity).update(
      { id: draft.id },
      {
        status: 'PENDING',
        rejectReason: null,
        previousContent: draft.content,
        syncChanges: diffDraftContent(draft.content, item.content),
        content: item.content,
        contentHash: item.contentHash,
        sourceHash: item.sourceHash,
        sourceModstamp: item.systemModstamp,
        issues: item.issues,
        updatedAt: tx.now(),
      },
    );
  }

  // ---------------------------------------------------------------- ops flow

  /** A draft typed in by ops (no CRM), reviewed and confirmed like any other. */
  async create(ctx: RequestContext, input: DraftTermsInput): Promise<ContractDraftEntity> {
    return withTransaction(ctx, async (tx) => {
      const content = await this.applyTerms(tx, emptyDraftContent(), input);
      const row = this.baseRow(tx, 'MANUAL', null, null, content);
      row.issues = await this.issuesOf(tx, content);
      await tx.repo(ContractDraftEntity).insert(row);
      return row;
    });
  }

  /** Edits any extracted term of a pending draft; issues are recomputed from the result. */
  async update(ctx: RequestContext, id: string, input: DraftTermsInput): Promise<ContractDraftEntity> {
    return withTransaction(ctx, async (tx) => {
      const draft = await this.lockPending(tx, id);
      draft.content = await this.applyTerms(tx, draft.content, input);
      draft.issues = await this.issuesOf(tx, draft.content);
      draft.contentHash = draft.source === 'MANUAL' ? contentHashOf(draft.content) : draft.contentHash;
      draft.updatedAt = tx.now();
      await tx.repo(ContractDraftEntity).update(
        { id },
        {
          content: draft.content,
          issues: draft.issues,
          contentHash: draft.contentHash,
          updatedAt: draft.updatedAt,
        },
      );
      return draft;
    });
  }

  async reject(ctx: RequestContext, id: string, reason: string): Promise<ContractDraftEntity> {
    const trimmed = reason?.trim() ?? '';
    if (!trimmed || trimmed.length > 1000) throw badInput('reason', 'must be 1 to 1000 characters');
    return withTransaction(ctx, async (tx) => {
      const draft = await this.lockPending(tx, id);
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
  async confirm(ctx: RequestContext, id: string): Promise<ContractDraftEntity> {
    return withTransaction(ctx, async (tx) => {
      const draft = await this.lockPending(tx, id);
      const blocking = (await this.issuesOf(tx, draft.content)).filter((i) => i.blocking);
      if (blocking.length) {
        throw badInput(
          `draft.${blocking[0].field}`,
          `Resolve before confirming: ${blocking.map((i) => i.message).join('; ')}`,
        );
      }
      const parent = draft.parentDraftId ? await this.findById(tx, draft.parentDraftId) : null;
      const { contractId, customerId } = await this.confirmer.confirm(tx, {
        id: draft.id,
        environmentId: draft.environmentId,
        source: draft.source,
        opportunityId: draft.opportunityId,
        parentDraftId: draft.parentDraftId,
        parentContractId: parent?.confirmedContractId ?? null,
        content: draft.content,
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
      return draft;
    });
  }

  /** The draft's issues, with what the catalog says about the pricings its fees name. */
  private async issuesOf(tx: RequestContext, content: ContractDraftContent) {
    return computeDraftIssues(content, await loadDraftFeeCatalog(tx, [content]));
  }

  private async lockPending(tx: RequestContext, id: string): Promise<ContractDraftEntity> {
    const draft = await tx.repo(ContractDraftEntity).findOne({
      where: { id, environmentId: tx.environmentId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!draft) throw notFound('Contract draft', id);
    if (draft.status !== 'PENDING')
      throw conflict(`Contract draft ${id} is ${draft.status}, not PENDING`, 'id');
    return draft;
  }

  /** Applies the given terms (absent = unchanged, null = cleared) after checking every reference. */
  private async applyTerms(
    tx: RequestContext,
    current: ContractDraftContent,
    input: DraftTermsInput,
  ): Promise<ContractDraftContent> {
    const content: ContractDraftContent = structuredClone(current);
    const edited = new Set<string>();
    const env = tx.environmentId;
    const has = <K extends keyof DraftTermsInput>(key: K) => input[key] !== undefined;

    if (has('customerId')) {
      const customerId = input.customerId ?? null;
      if (
        customerId &&
        !(await tx.repo(CustomerEntity).exists({ where: { id: customerId, environmentId: env } }))
      )
        throw badInput('input.customerId', `customer ${customerId} not found`);
      content.customer.matchedCustomerId = customerId;
      edited.add('customer');
    }
    if (has('proposedCustomer')) {
      const p = input.proposedCustomer;
      if (p && (!p.name?.trim() || p.name.length > 200))
        throw badInput('input.proposedCustomer.name', 'must be 1 to 200 characters');
      if (p?.email && !/^[^@\s]+@[^@\s]+$/.test(p.email))
        throw badInput('input.proposedCustomer.email', 'is not an email address');
      content.customer.proposed = p
        ? {
            name: p.name.trim(),
            email: p.email ?? null,
            address: p.address ?? null,
            website: p.website ?? null,
          }
        : null;
      edited.add('customer').add('customer.proposed.email');
    }
    if (has('currency')) {
      if (input.currency && !/^[A-Z]{3}$/.test(input.currency))
        throw badInput('input.currency', 'must be an ISO 4217 code');
      content.currency = input.currency ?? null;
    }
    for (const key of ['contractStart', 'contractEnd'] as const) {
      if (!has(key)) continue;
      const value = input[key] ?? null;
      if (value && !isIsoDate(value)) throw badInput(`input.${key}`, 'must be a date YYYY-MM-DD');
      content[key] = value;
      edited.add(key);
    }
    if (has('paymentTermsDays')) {
      const days = input.paymentTermsDays ?? null;
      if (days !== null && (!Number.isInteger(days) || days < 0 || days > 365))
        throw badInput('input.paymentTermsDays', 'must be 0 to 365 days');
      content.paymentTermsDays = days;
      edited.add('paymentTermsDays');
    }
    if (has('billingCycle')) {
      if (input.billingCycle && !DRAFT_BILLING_CYCLES.includes(input.billingCycle))
        throw badInput('input.billingCycle', 'must be MONTHLY, QUARTERLY or ANNUAL');
      content.billingCycle = input.billingCycle ?? null;
      edited.add('billingCycle');
    }
    if (has('plan')) {
      const plan = input.plan ?? null;
      if (plan && !(await tx.repo(PlanEntity).exists({ where: { id: plan.planId, environmentId: env } })))
        throw badInput('input.plan.planId', `plan ${plan.planId} not found`);
      content.plan = plan
        ? {
            planId: plan.planId,
            quantity: plan.quantity ? decimalText(plan.quantity.toFixed()) : null,
            unitPrice: plan.unitPrice ? decimalText(plan.unitPrice.toFixed()) : null,
            listPrice: content.plan?.planId === plan.planId ? content.plan.listPrice : null,
            sourceLineItemId: content.plan?.planId === plan.planId ? content.plan.sourceLineItemId : null,
          }
        : null;
      edited.add('plan');
    }
    if (has('usagePricings')) {
      const items = input.usagePricings ?? [];
      await this.checkPricings(
        tx,
        items.map((i) => i.pricingId),
        'USAGE',
        'input.usagePricings',
      );
      content.usagePricings = items.map((item) => {
        const before = content.usagePricings.find((p) => p.pricingId === item.pricingId);
        return {
          pricingId: item.pricingId,
          dimensions: item.dimensions ?? {},
          overrideRate: item.overrideRate ? item.overrideRate.toFixed() : null,
          listRate: before?.listRate ?? null,
          sourceLineItemId: before?.sourceLineItemId ?? null,
        };
      });
    }
    if (has('flatFees')) {
      const fees = input.flatFees ?? [];
      await this.checkPricings(
        tx,
        fees.map((f) => f.pricingId).filter((id): id is string => !!id),
        'FLAT_FEE',
        'input.flatFees',
      );
      fees.forEach((fee, i) => {
        if (!fee.description?.trim()) throw badInput(`input.flatFees.${i}.description`, 'is required');
        if (fee.serviceDate && !isIsoDate(fee.serviceDate))
          throw badInput(`input.flatFees.${i}.serviceDate`, 'must be a date YYYY-MM-DD');
      });
      content.flatFees = fees.map((fee) => ({
        pricingId: fee.pricingId ?? null,
        description: fee.description.trim(),
        quantity: fee.quantity.toFixed(),
        unitPrice: fee.unitPrice.toFixed(),
        listPrice: null,
        serviceDate: fee.serviceDate ?? null,
        sourceLineItemId: null,
      }));
    }
    if (has('prepaidCredits')) {
      const credits = input.prepaidCredits ?? null;
      if (credits?.expiresOn && !isIsoDate(credits.expiresOn))
        throw badInput('input.prepaidCredits.expiresOn', 'must be a date YYYY-MM-DD');
      if (credits && (credits.grantAmount.lte(0) || credits.invoiceAmount.lt(0)))
        throw badInput('input.prepaidCredits', 'grant must be positive and the invoice amount not negative');
      content.prepaidCredits = credits
        ? {
            grantAmount: credits.grantAmount.toFixed(),
            invoiceAmount: credits.invoiceAmount.toFixed(),
            expiresOn: credits.expiresOn ?? null,
          }
        : null;
      edited.add('prepaidCredits.expiresOn');
    }
    if (input.dismissUnmatchedLineItems) {
      content.unmatchedLineItems = [];
      edited.add('unmatchedLineItems');
    }
    // A warning about a field is moot once ops has set that field.
    content.extractionWarnings = content.extractionWarnings.filter(
      (w) => !edited.has(w.field.replace(/^note:/, '')),
    );
    return content;
  }

  private async checkPricings(
    tx: RequestContext,
    ids: string[],
    kind: 'USAGE' | 'FLAT_FEE',
    field: string,
  ): Promise<void> {
    if (!ids.length) return;
    const found = await tx.repo(PricingEntity).find({
      select: { id: true, kind: true },
      where: { environmentId: tx.environmentId, id: In([...new Set(ids)]) },
    });
    const ok = new Set(found.filter((p) => p.kind === kind).map((p) => p.id));
    const index = ids.findIndex((id) => !ok.has(id));
    if (index >= 0)
      throw badInput(
        `${field}.${index}.pricingId`,
        `${kind === 'USAGE' ? 'usage pricing' : 'flat fee'} ${ids[index]} not found`,
      );
  }
}
