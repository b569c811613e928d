import type {
  ProductMappingRule,
  SalesforceFieldConfig,
  SalesforceOpportunity,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import type { ContractDraftEntity } from '../../entities/contract-draft.entity';
import type { Page } from '../common';
import type { CrmOutboxService } from '../crm';
import {
  DraftDecisionService,
  type ConfirmOptions,
  type ContractDraftConfirmer,
} from './draft-decision.service';
import { DraftEditService } from './draft-edit.service';
import { DraftQueryService, type DraftListArgs } from './draft-query.service';
import type { SyncCounts } from '../crm';
import { DraftSyncService } from './draft-sync.service';
import type { DraftTermsInput } from './draft-terms';
import { noWebhookEvents, type WebhookEventSink } from '../webhooks';

/**
 * Contract Extraction drafts, as the API and the Salesforce sync see them: one entry over the modules that
 * read drafts, sync them from deals, apply ops' edits, and confirm or reject them.
 */
export class ContractDraftService {
  private readonly queries = new DraftQueryService();
  private readonly sync: DraftSyncService;
  private readonly edits: DraftEditService;
  private readonly decisions: DraftDecisionService;

  constructor(
    outbox: CrmOutboxService,
    confirmer: ContractDraftConfirmer,
    webhooks: WebhookEventSink = noWebhookEvents,
  ) {
    this.sync = new DraftSyncService(webhooks);
    this.edits = new DraftEditService(webhooks);
    this.decisions = new DraftDecisionService(outbox, confirmer, this.queries, webhooks);
  }

  findById(ctx: RequestContext, id: string): Promise<ContractDraftEntity | null> {
    return this.queries.findById(ctx, id);
  }

  getByIdOrThrow(ctx: RequestContext, id: string): Promise<ContractDraftEntity> {
    return this.queries.getByIdOrThrow(ctx, id);
  }

  list(ctx: RequestContext, args: DraftListArgs): Promise<Page<ContractDraftEntity>> {
    return this.queries.list(ctx, args);
  }

  applyOpportunities(
    tx: RequestContext,
    connectionId: string,
    opportunities: SalesforceOpportunity[],
    mappings: ReadonlyMap<string, ProductMappingRule>,
    fields: SalesforceFieldConfig,
  ): Promise<SyncCounts> {
    return this.sync.applyOpportunities(tx, connectionId, opportunities, mappings, fields);
  }

  voidOpportunities(
    tx: RequestContext,
    connectionId: string,
    opportunities: Array<{ Id: string; SystemModstamp: string }>,
  ): Promise<number> {
    return this.sync.voidOpportunities(tx, connectionId, opportunities);
  }

  create(ctx: RequestContext, input: DraftTermsInput): Promise<ContractDraftEntity> {
    return this.edits.create(ctx, input);
  }

  update(ctx: RequestContext, id: string, input: DraftTermsInput): Promise<ContractDraftEntity> {
    return this.edits.update(ctx, id, input);
  }

  reject(ctx: RequestContext, id: string, reason: string): Promise<ContractDraftEntity> {
    return this.decisions.reject(ctx, id, reason);
  }

  confirm(ctx: RequestContext, id: string, options: ConfirmOptions = {}): Promise<ContractDraftEntity> {
    return this.decisions.confirm(ctx, id, options);
  }
}
