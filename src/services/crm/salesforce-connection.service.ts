import type { SalesforceClientDeps, SalesforceFieldConfig } from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import type { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import type { Logger } from '../../logger';
import type { DealSink, ProductMappingRules, SyncCounts } from './deal-sink';
import type { SalesforceClients } from './salesforce-clients';
import {
  SalesforceConnectionLifecycle,
  type ConnectSalesforceInput,
  type ConnectedSalesforce,
} from './salesforce-connection-lifecycle';
import type { SalesforceConnectionQueries, TriggerSecretOwner } from './salesforce-connection-queries';
import type { SalesforceCrmGateway } from './salesforce-crm-gateway';
import {
  DEFAULT_SYNC_OPTIONS,
  SalesforceDealSync,
  type SalesforceSyncOptions,
  type SyncResult,
} from './salesforce-deal-sync';
import { SalesforceSyncLeases } from './salesforce-sync-leases';

/**
 * The Salesforce connection as resolvers, the trigger route and the poller see it: one entry point that
 * hands each call to the module doing that job (lifecycle, reads, deal sync).
 */
export class SalesforceConnectionService {
  readonly syncOptions: SalesforceSyncOptions = { ...DEFAULT_SYNC_OPTIONS };
  private readonly lifecycle: SalesforceConnectionLifecycle;
  private readonly deals: SalesforceDealSync;

  constructor(
    private readonly connections: SalesforceConnectionQueries,
    private readonly clients: SalesforceClients,
    gateway: SalesforceCrmGateway,
    drafts: DealSink,
    mappings: ProductMappingRules,
    log: Logger,
  ) {
    this.lifecycle = new SalesforceConnectionLifecycle(connections, clients, this.syncOptions, log);
    this.deals = new SalesforceDealSync(
      connections,
      clients,
      gateway,
      new SalesforceSyncLeases(this.syncOptions),
      drafts,
      mappings,
      this.syncOptions,
      log,
    );
  }

  /** Clock-free client settings; tests replace `sleep` so retries do not wait. */
  get clientOptions(): Partial<SalesforceClientDeps> {
    return this.clients.options;
  }

  set clientOptions(options: Partial<SalesforceClientDeps>) {
    this.clients.options = options;
  }

  connect(ctx: RequestContext, input: ConnectSalesforceInput): Promise<ConnectedSalesforce> {
    return this.lifecycle.connect(ctx, input);
  }

  disconnect(ctx: RequestContext): Promise<SalesforceConnectionEntity> {
    return this.lifecycle.disconnect(ctx);
  }

  rotateTriggerSecret(ctx: RequestContext): Promise<string> {
    return this.lifecycle.rotateTriggerSecret(ctx);
  }

  setFieldConfig(
    ctx: RequestContext,
    config: Partial<SalesforceFieldConfig>,
  ): Promise<SalesforceConnectionEntity> {
    return this.lifecycle.setFieldConfig(ctx, config);
  }

  find(ctx: RequestContext): Promise<SalesforceConnectionEntity | null> {
    return this.connections.find(ctx);
  }

  getOrThrow(ctx: RequestContext): Promise<SalesforceConnectionEntity> {
    return this.connections.getOrThrow(ctx);
  }

  findByTriggerSecret(ctx: RequestContext, secret: string): Promise<TriggerSecretOwner | null> {
    return this.connections.findByTriggerSecret(ctx, secret);
  }

  /** Connections due for a poll, for the poller worker. */
  dueForPoll(
    ctx: RequestContext,
    intervalMs: number,
  ): Promise<Array<{ environmentId: string; organizationId: string }>> {
    return this.connections.dueForPoll(ctx, intervalMs);
  }

  sync(ctx: RequestContext): Promise<SyncResult> {
    return this.deals.sync(ctx);
  }

  syncOpportunity(ctx: RequestContext, opportunityId: string): Promise<SyncCounts> {
    return this.deals.syncOpportunity(ctx, opportunityId);
  }

  scheduleOpportunitySyncs(ctx: RequestContext, opportunityIds: string[]): void {
    this.deals.scheduleOpportunitySyncs(ctx, opportunityIds);
  }

  /** Waits for trigger re-reads in flight (tests, graceful shutdown). */
  awaitTriggers(): Promise<void> {
    return this.deals.awaitTriggers();
  }
}
