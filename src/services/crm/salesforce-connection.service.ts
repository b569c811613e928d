import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  DEFAULT_API_VERSION,
  SalesforceClient,
  SalesforceError,
  invalidFieldName,
  isSalesforceId,
  notWonOpportunitiesQuery,
  opportunityByIdQuery,
  rateLimitPauseMs,
  withDefaults,
  wonOpportunitiesQuery,
  type SalesforceClientDeps,
  type SalesforceFieldConfig,
  type SalesforceOpportunity,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import type { Logger } from '../../logger';
import { emptyCounts, type ContractDraftService, type SyncCounts } from '../contract-drafts';
import type { CrmConnectionGateway } from './crm-outbox.service';
import type { ProductMappingService } from '../contract-drafts';
import type { SecretBox } from './secret-box';

export interface ConnectSalesforceInput {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  apiVersion?: string | null;
  /** Deals modified since then are read on the first sync (default: 30 days before connecting). */
  syncFrom?: Date | null;
  fieldConfig?: Partial<SalesforceFieldConfig> | null;
}

export interface ConnectedSalesforce {
  connection: SalesforceConnectionEntity;
  /** The secret the Salesforce Flow / Outbound Message sends to the trigger endpoint; shown once. */
  triggerSecret: string;
}

export interface SyncResult extends SyncCounts {
  status: 'COMPLETED' | 'SKIPPED' | 'FAILED';
  reason: string | null;
  pages: number;
  watermark: Date | null;
}

export interface SalesforceSyncOptions {
  /** Re-read this much before the watermark: a transaction that committed late carries an earlier SystemModstamp. */
  overlapMs: number;
  /** Stop this far before now, for the same reason. */
  lagMs: number;
  /** How long a sync may hold the per-connection lease before another may take over (renewed per page). */
  leaseMs: number;
  /** Where the first sync starts when `syncFrom` is not given. */
  defaultBackfillMs: number;
}

const DEFAULT_SYNC_OPTIONS: SalesforceSyncOptions = {
  overlapMs: 5 * 60_000,
  lagMs: 60_000,
  leaseMs: 10 * 60_000,
  defaultBackfillMs: 30 * 24 * 3600_000,
};

export function hashTriggerSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function checkUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badInput(field, 'must be a URL such as https://acme.my.salesforce.com');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw badInput(field, 'must use https');
  return `${url.protocol}//${url.host}`;
}

/**
 * The Salesforce connection of an environment: connect/disconnect with encrypted credentials, the
 * inbound sync (poller run, trigger re-reads) and the client the outbox pushes through.
 */
export class SalesforceConnectionService implements CrmConnectionGateway {
  /** Clock-free client settings; tests replace `sleep` so retries do not wait. */
  clientOptions: Partial<SalesforceClientDeps> = {};
  readonly syncOptions: SalesforceSyncOptions = { ...DEFAULT_SYNC_OPTIONS };
  private readonly clients = new Map<string, { signature: string; client: SalesforceClient }>();
  private readonly triggerTasks = new Set<Promise<void>>();

  constructor(
    private readonly db: DataSource,
    private readonly secrets: SecretBox,
    private readonly drafts: ContractDraftService,
    private readonly mappings: ProductMappingService,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ---------------------------------------------------------------- connection lifecycle

  async connect(ctx: RequestContext, input: ConnectSalesforceInput): Promise<ConnectedSalesforce> {
    const loginUrl = checkUrl('input.loginUrl', input.loginUrl);
    const instanceUrl = checkUrl('input.instanceUrl', input.instanceUrl);
    for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
      if (!input[key]?.trim() || input[key].length > 2000) throw badInput(`input.${key}`, 'is required');
    }
    const apiVersion = input.apiVersion ?? DEFAULT_API_VERSION;
    if (!/^\d{2,3}\.0$/.test(apiVersion)) throw badInput('input.apiVersion', 'must look like 62.0');
    const badField = input.fieldConfig ? invalidFieldName(input.fieldConfig) : null;
    if (badField) throw badInput(`input.fieldConfig.${badField.key}`, 'is not a Salesforce API field name');

    // Prove the credentials work before storing them: one refresh, which also yields the org id.
    const probe = new SalesforceClient(
      {
        loginUrl,
        instanceUrl,
        clientId: input.clientId,
        clientSecret: input.clientSecret,
        refreshToken: input.refreshToken,
        apiVersion,
      },
      this.clientDeps(),
    );
    let session;
    try {
      session = await probe.refreshSession();
    } catch (error) {
      const failure = error as SalesforceError;
      throw badInput(
        failure.kind === 'AUTH_BROKEN' ? 'input.refreshToken' : 'input.loginUrl',
        `Salesforce did not accept the credentials: ${failure.message}`,
      );
    }
    const triggerSecret = `sftrg_${randomBytes(24).toString('base64url')}`;
    return withTransaction(ctx, async (tx) => {
      const repo = tx.repo(SalesforceConnectionEntity);
      const now = tx.now();
      const existing = await repo.findOne({
        where: { environmentId: tx.environmentId },
        lock: { mode: 'pessimistic_write' },
      });
      const id = existing?.id ?? newId('sfc', now.getTime());
      const sameOrg =
        existing && existing.salesforceOrgId && existing.salesforceOrgId === session.organizationId;
      const watermark = input.syncFrom
        ? input.syncFrom
        : sameOrg
          ? existing.watermark
          : new Date(now.getTime() - this.syncOptions.defaultBackfillMs);
      const row = repo.create({
        ...(existing ?? {}),
        id,
        environmentId: tx.environmentId,
        loginUrl,
        instanceUrl: session.instanceUrl || instanceUrl,
        clientId: input.clientId.trim(),
        clientSecretSealed: this.secrets.seal(input.clientSecret, `${id}:client_secret`),
        refreshTokenSealed: this.secrets.seal(
          session.rotatedRefreshToken ?? input.refreshToken,
          `${id}:refresh_token`,
        ),
        accessTokenSealed: this.secrets.seal(session.accessToken, `${id}:access_token`),
        apiVersion,
        salesforceOrgId: session.organizationId,
        status: 'ACTIVE',
        statusReason: null,
        pausedUntil: null,
        lastPollError: null,
        watermark,
        triggerSecretHash: hashTriggerSecret(triggerSecret),
        fieldConfig: { ...withDefaults(existing?.fieldConfig ?? null), ...(input.fieldConfig ?? {}) },
        syncLeaseOwner: null,
        syncLeaseUntil: null,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      });
      await repo.save(row);
      this.clients.delete(id);
      return { connection: row, triggerSecret };
    });
  }

  async disconnect(ctx: RequestContext): Promise<SalesforceConnectionEntity> {
    const connection = await this.getOrThrow(ctx);
    const now = ctx.now();
    // The secrets are destroyed, not kept "just in case"; the drafts and outbox history stay.
    Object.assign(connection, {
      status: 'DISCONNECTED',
      statusReason: 'Disconnected by the user',
      clientSecretSealed: '',
      refreshTokenSealed: '',
      accessTokenSealed: null,
      triggerSecretHash: hashTriggerSecret(randomBytes(32).toString('hex')),
      syncLeaseOwner: null,
      syncLeaseUntil: null,
      updatedAt: now,
    });
    await ctx.repo(SalesforceConnectionEntity).save(connection);
    this.clients.delete(connection.id);
    return connection;
  }

  async rotateTriggerSecret(ctx: RequestContext): Promise<string> {
    const connection = await this.getOrThrow(ctx);
    const secret = `sftrg_${randomBytes(24).toString('base64url')}`;
    await ctx
      .repo(SalesforceConnectionEntity)
      .update({ id: connection.id }, { triggerSecretHash: hashTriggerSecret(secret), updatedAt: ctx.now() });
    return secret;
  }

  async setFieldConfig(
    ctx: RequestContext,
    config: Partial<SalesforceFieldConfig>,
  ): Promise<SalesforceConnectionEntity> {
    const bad = invalidFieldName(config);
    if (bad) throw badInput(`input.${bad.key}`, 'is not a Salesforce API field name');
    const connection = await this.getOrThrow(ctx);
    connection.fieldConfig = { ...withDefaults(connection.fieldConfig), ...config };
    connection.updatedAt = ctx.now();
    await ctx
      .repo(SalesforceConnectionEntity)
      .update(
        { id: connection.id },
        { fieldConfig: connection.fieldConfig, updatedAt: connection.updatedAt },
      );
    return connection;
  }

  async find(ctx: RequestContext): Promise<SalesforceConnectionEntity | null> {
    return ctx.repo(SalesforceConnectionEntity).findOne({ where: { environmentId: ctx.environmentId } });
  }

  async getOrThrow(ctx: RequestContext): Promise<SalesforceConnectionEntity> {
    const connection = await this.find(ctx);
    if (!connection) throw notFound('Salesforce connection of environment', ctx.environmentId);
    return connection;
  }

  // ---------------------------------------------------------------- clients

  private clientDeps(): SalesforceClientDeps {
    return {
      now: () => this.now().getTime(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...this.clientOptions,
    };
  }

  /** One client per connection, kept while its credentials stay the same (the refresh circuit lives in it). */
  clientFor(connection: SalesforceConnectionEntity): SalesforceClient {
    const signature = [
      connection.loginUrl,
      connection.clientId,
      connection.clientSecretSealed,
      connection.apiVersion,
    ].join('|');
    const cached = this.clients.get(connection.id);
    if (cached && cached.signature === signature) return cached.client;
    const id = connection.id;
    const client = new SalesforceClient(
      {
        loginUrl: connection.loginUrl,
        instanceUrl: connection.instanceUrl,
        clientId: connection.clientId,
        clientSecret: this.secrets.open(connection.clientSecretSealed, `${id}:client_secret`),
        refreshToken: this.secrets.open(connection.refreshTokenSealed, `${id}:refresh_token`),
        accessToken: connection.accessTokenSealed
          ? this.secrets.open(connection.accessTokenSealed, `${id}:access_token`)
          : null,
        apiVersion: connection.apiVersion,
      },
      {
        ...this.clientDeps(),
        onSessionRefreshed: async (session) => {
          // Rotated refresh tokens are stored before the replayed request runs: losing one locks us out.
          await this.db.getRepository(SalesforceConnectionEntity).update(
            { id },
            {
              accessTokenSealed: this.secrets.seal(session.accessToken, `${id}:access_token`),
              instanceUrl: session.instanceUrl,
              ...(session.rotatedRefreshToken
                ? {
                    refreshTokenSealed: this.secrets.seal(session.rotatedRefreshToken, `${id}:refresh_token`),
                  }
                : {}),
              ...(session.organizationId ? { salesforceOrgId: session.organizationId } : {}),
              updatedAt: this.now(),
            },
          );
        },
      },
    );
    this.clients.set(connection.id, { signature, client });
    return client;
  }

  async writableEnvironments(now: Date): Promise<string[]> {
    const rows: Array<{ environment_id: string }> = await this.db.query(
      `SELECT environment_id FROM salesforce_connections
       WHERE status = 'ACTIVE' OR (status = 'PAUSED' AND paused_until <= ?)`,
      [now],
    );
    return rows.map((r) => r.environment_id);
  }

  async clientForEnvironment(environmentId: string): Promise<SalesforceClient | null> {
    const connection = await this.db
      .getRepository(SalesforceConnectionEntity)
      .findOne({ where: { environmentId } });
    if (!connection || connection.status === 'DISCONNECTED' || connection.status === 'AUTH_BROKEN')
      return null;
    return this.clientFor(connection);
  }

  /** A limit pauses the whole connection; broken auth stops it until someone reconnects. */
  async reportConnectionFailure(environmentId: string, error: SalesforceError, now: Date): Promise<void> {
    const repo = this.db.getRepository(SalesforceConnectionEntity);
    if (error.kind === 'RATE_LIMITED') {
      const pausedUntil = new Date(now.getTime() + rateLimitPauseMs(error.message));
      this.log.warn(
        { environmentId, pausedUntil, code: error.code },
        'Salesforce API limit reached; connection paused',
      );
      await repo.update(
        { environmentId, status: 'ACTIVE' },
        {
          status: 'PAUSED',
          pausedUntil,
          statusReason: `${error.code}: ${error.message}`.slice(0, 2000),
          updatedAt: now,
        },
      );
      await repo.update(
        { environmentId, status: 'PAUSED' },
        { pausedUntil, statusReason: `${error.code}: ${error.message}`.slice(0, 2000), updatedAt: now },
      );
    } else if (error.kind === 'AUTH_BROKEN') {
      this.log.error(
        { environmentId, code: error.code },
        'Salesforce authorization broken; connection stopped',
      );
      await repo.update(
        { environmentId },
        {
          status: 'AUTH_BROKEN',
          statusReason: `${error.code}: ${error.message}`.slice(0, 2000),
          updatedAt: now,
        },
      );
    }
  }

  async recordApiUsage(environmentId: string): Promise<void> {
    const connection = await this.db
      .getRepository(SalesforceConnectionEntity)
      .findOne({ where: { environmentId } });
    const usage = connection ? this.clients.get(connection.id)?.client.apiUsage : null;
    if (!connection || !usage) return;
    await this.db
      .getRepository(SalesforceConnectionEntity)
      .update({ id: connection.id }, { apiUsageUsed: usage.used, apiUsageMax: usage.max });
  }

  // ---------------------------------------------------------------- inbound sync

  /**
   * One poller run: reads won Opportunities modified in [watermark − overlap, now − lag) page by page,
   * commits each page's drafts, then voids drafts of deals no longer won, and only then advances the
   * watermark. Single-flight per connection through a lease on the connection row.
   */
  async sync(ctx: RequestContext): Promise<SyncResult> {
    const connection = await this.getOrThrow(ctx);
    const now = ctx.now();
    const result: SyncResult = {
      status: 'SKIPPED',
      reason: null,
      pages: 0,
      watermark: connection.watermark,
      ...emptyCounts(),
    };
    if (connection.status === 'DISCONNECTED' || connection.status === 'AUTH_BROKEN') {
      return {
        ...result,
        reason: `Connection is ${connection.status}${connection.statusReason ? `: ${connection.statusReason}` : ''}`,
      };
    }
    if (connection.status === 'PAUSED' && connection.pausedUntil && connection.pausedUntil > now) {
      return { ...result, reason: `Connection is paused until ${connection.pausedUntil.toISOString()}` };
    }
    const lease = newId('lease', now.getTime());
    if (!(await this.acquireLease(connection.id, lease, now))) {
      return { ...result, reason: 'A sync of this connection is already running' };
    }
    const from = new Date((connection.watermark?.getTime() ?? 0) - this.syncOptions.overlapMs);
    const to = new Date(Math.floor((now.getTime() - this.syncOptions.lagMs) / 1000) * 1000);
    const fields = withDefaults(connection.fieldConfig);
    const client = this.clientFor(connection);
    try {
      if (to > from) {
        const mappings = await this.mappings.rules(ctx);
        for await (const page of client.queryPages<SalesforceOpportunity>(
          wonOpportunitiesQuery(fields, from, to),
          {
            relations: ['OpportunityLineItems'],
          },
        )) {
          const counts = await withTransaction(ctx, (tx) =>
            this.drafts.applyOpportunities(tx, connection.id, page.records, mappings, fields),
          );
          addCounts(result, counts);
          result.pages++;
          await this.renewLease(connection.id, lease, ctx.now());
        }
        for await (const page of client.queryPages<{ Id: string; SystemModstamp: string }>(
          notWonOpportunitiesQuery(from, to),
          { includeDeleted: true },
        )) {
          result.voided += await withTransaction(ctx, (tx) =>
            this.drafts.voidOpportunities(tx, connection.id, page.records),
          );
          await this.renewLease(connection.id, lease, ctx.now());
        }
      }
      // Every page is committed: only now may the watermark move.
      const watermark = to > from ? to : connection.watermark;
      await ctx.repo(SalesforceConnectionEntity).update(
        { id: connection.id, syncLeaseOwner: lease },
        {
          watermark,
          lastPollAt: now,
          lastPollError: null,
          ...(connection.status === 'PAUSED'
            ? { status: 'ACTIVE', pausedUntil: null, statusReason: null }
            : {}),
          ...this.usageColumns(client),
          syncLeaseOwner: null,
          syncLeaseUntil: null,
          updatedAt: ctx.now(),
        },
      );
      return { ...result, status: 'COMPLETED', watermark };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn(
        { connectionId: connection.id, err: error },
        'Salesforce sync failed; watermark unchanged',
      );
      await ctx.repo(SalesforceConnectionEntity).update(
        { id: connection.id, syncLeaseOwner: lease },
        {
          lastPollAt: now,
          lastPollError: message.slice(0, 2000),
          ...this.usageColumns(client),
          syncLeaseOwner: null,
          syncLeaseUntil: null,
        },
      );
      if (error instanceof SalesforceError)
        await this.reportConnectionFailure(ctx.environmentId, error, ctx.now());
      return { ...result, status: 'FAILED', reason: message };
    }
  }

  /** Re-reads one Opportunity (never trusting what a callback said about it) and upserts or voids its draft. */
  async syncOpportunity(ctx: RequestContext, opportunityId: string): Promise<SyncCounts> {
    const connection = await this.getOrThrow(ctx);
    if (connection.status !== 'ACTIVE') throw conflict(`Salesforce connection is ${connection.status}`);
    const fields = withDefaults(connection.fieldConfig);
    const client = this.clientFor(connection);
    try {
      const page = await client.queryFirstPage<SalesforceOpportunity & { IsDeleted?: boolean }>(
        opportunityByIdQuery(fields, opportunityId),
        { includeDeleted: true },
      );
      const counts = emptyCounts();
      const record = page.records[0];
      if (!record) return counts;
      if (record.IsWon && !record.IsDeleted) {
        const mappings = await this.mappings.rules(ctx);
        const applied = await withTransaction(ctx, (tx) =>
          this.drafts.applyOpportunities(tx, connection.id, [record], mappings, fields),
        );
        addCounts(counts, applied);
      } else {
        counts.voided = await withTransaction(ctx, (tx) =>
          this.drafts.voidOpportunities(tx, connection.id, [record]),
        );
      }
      return counts;
    } catch (error) {
      if (error instanceof SalesforceError)
        await this.reportConnectionFailure(ctx.environmentId, error, ctx.now());
      throw error;
    } finally {
      await this.recordApiUsage(ctx.environmentId);
    }
  }

  /** Finds the connection a trigger secret belongs to (the secret is compared by its hash only). */
  async findByTriggerSecret(
    secret: string,
  ): Promise<{ connectionId: string; environmentId: string; organizationId: string } | null> {
    if (!secret || secret.length > 200) return null;
    const rows: Array<{ id: string; environment_id: string; organization_id: string }> = await this.db.query(
      `SELECT c.id, c.environment_id, e.organization_id FROM salesforce_connections c
       JOIN environments e ON e.id = c.environment_id
       WHERE c.trigger_secret_hash = ? AND c.status <> 'DISCONNECTED'`,
      [hashTriggerSecret(secret)],
    );
    const row = rows[0];
    return row
      ? { connectionId: row.id, environmentId: row.environment_id, organizationId: row.organization_id }
      : null;
  }

  /** Runs trigger re-reads after the HTTP answer went out; failures are logged (the poller is the safety net). */
  scheduleOpportunitySyncs(ctx: RequestContext, opportunityIds: string[]): void {
    const ids = [...new Set(opportunityIds)].filter(isSalesforceId);
    const task = (async () => {
      for (const id of ids) {
        try {
          await this.syncOpportunity(ctx, id);
        } catch (error) {
          ctx.log.warn(
            { err: error, opportunityId: id },
            'Salesforce trigger re-read failed; the poller will catch up',
          );
        }
      }
    })();
    this.triggerTasks.add(task);
    void task.finally(() => this.triggerTasks.delete(task));
  }

  /** Waits for trigger re-reads in flight (tests, graceful shutdown). */
  async awaitTriggers(): Promise<void> {
    while (this.triggerTasks.size) await Promise.all([...this.triggerTasks]);
  }

  /** Connections whose last poll is older than `intervalMs`, for the poller worker. */
  async dueForPoll(
    now: Date,
    intervalMs: number,
  ): Promise<Array<{ environmentId: string; organizationId: string }>> {
    const rows: Array<{ environment_id: string; organization_id: string }> = await this.db.query(
      `SELECT c.environment_id, e.organization_id FROM salesforce_connections c
       JOIN environments e ON e.id = c.environment_id
       WHERE (c.status = 'ACTIVE' OR (c.status = 'PAUSED' AND c.paused_until <= ?))
         AND (c.last_poll_at IS NULL OR c.last_poll_at <= ?)
         AND (c.sync_lease_until IS NULL OR c.sync_lease_until < ?)
       ORDER BY c.last_poll_at`,
      [now, new Date(now.getTime() - intervalMs), now],
    );
    return rows.map((r) => ({ environmentId: r.environment_id, organizationId: r.organization_id }));
  }

  private usageColumns(client: SalesforceClient) {
    const usage = client.apiUsage;
    return usage ? { apiUsageUsed: usage.used, apiUsageMax: usage.max } : {};
  }

  private async acquireLease(connectionId: string, lease: string, now: Date): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE salesforce_connections SET sync_lease_owner = ?, sync_lease_until = ?
       WHERE id = ? AND (sync_lease_until IS NULL OR sync_lease_until < ?)`,
      [lease, new Date(now.getTime() + this.syncOptions.leaseMs), connectionId, now],
    );
    return (result as { affectedRows: number }).affectedRows === 1;
  }

  private async renewLease(connectionId: string, lease: string, now: Date): Promise<void> {
    await this.db.query(
      'UPDATE salesforce_connections SET sync_lease_until = ? WHERE id = ? AND sync_lease_owner = ?',
      [new Date(now.getTime() + this.syncOptions.leaseMs), connectionId, lease],
    );
  }
}

function addCounts(into: SyncCounts, counts: SyncCounts): void {
  into.created += counts.created;
  into.updated += counts.updated;
  into.unchanged += counts.unchanged;
  into.reviewItems += counts.reviewItems;
  into.voided += counts.voided;
}
