import { In } from 'typeorm';
import {
  mapOpportunity,
  parseSalesforceDateTime,
  type MappedOpportunity,
  type ProductMappingRule,
  type SalesforceFieldConfig,
  type SalesforceOpportunity,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { diffDraftContent, sha256Hex, type ContractDraftContent } from '../../domain/contract-draft';
import { ContractDraftEntity } from '../../entities/contract-draft.entity';
import { CustomerEntity } from '../../entities/customer.entity';
import { emptyCounts, type SyncCounts } from '../crm';
import { draftIssues, draftIssuesWithCatalog } from './draft-issues';
import { newDraftRow } from './draft-row';
import type { WebhookEventSink } from '../webhooks';

const NOT_WON_SOURCE_HASH = sha256Hex('deal-no-longer-won');
const INSERT_CHUNK = 500;

/**
 * Keeps drafts in step with their source deals (Salesforce Opportunities, keyed by connection and
 * Opportunity id): creates, updates (by content hash), raises review items for confirmed drafts and voids
 * drafts of deals no longer won. Runs in the caller's transaction.
 */
export class DraftSyncService {
  constructor(private readonly webhooks: WebhookEventSink) {}

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
    // The pure mapper cannot see the catalog: fees naming a pricing and the terms the plan supplies are
    // judged here, by the rule every draft source shares.
    const issues = await draftIssuesWithCatalog(
      tx,
      mapped.map((item) => item.content),
    );
    mapped.forEach((item, index) => (item.issues = issues[index]));
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
    for (const draft of inserts) await this.webhooks.record(tx, 'contract_draft.created', draft.id);
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
        ...newDraftRow(tx, 'SALESFORCE', connectionId, primary.opportunityId, content),
        issues: await draftIssues(tx, content),
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

  private newSalesforceDraft(
    tx: RequestContext,
    connectionId: string,
    item: MappedOpportunity,
    reviewSeq: number,
    parentDraftId: string | null,
    compareWith: ContractDraftContent | null,
  ): ContractDraftEntity {
    const row = newDraftRow(tx, 'SALESFORCE', connectionId, item.content.opportunity!.id, item.content);
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
}
