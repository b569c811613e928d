import {
  DEFAULT_API_VERSION,
  invalidFieldName,
  withDefaults,
  type SalesforceError,
  type SalesforceFieldConfig,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import type { Logger } from '../../logger';
import { UrlRefusedError } from '../common';
import type { SalesforceClients } from './salesforce-clients';
import type { SalesforceConnectionQueries } from './salesforce-connection-queries';
import { hashTriggerSecret, newTriggerSecret, unguessableTriggerSecretHash } from './trigger-secret';

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

function parseUrl(field: string, value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw badInput(field, 'must be a URL such as https://acme.my.salesforce.com');
  }
}

/**
 * The one answer to every "could not reach Salesforce" (refused address, DNS, TLS, connection refused,
 * not a token endpoint): naming the host, address or network error would let a caller map the network
 * behind the server. The detail goes to the log.
 */
const unreachable = (field: string) =>
  badInput(
    field,
    'SALESFORCE_UNREACHABLE: Salesforce could not be reached at this URL; check the login and instance URLs',
  );

/** Connecting, reconnecting and disconnecting an environment's Salesforce org, and its settings. */
export class SalesforceConnectionLifecycle {
  /** `defaultBackfillMs`: where the first sync starts when `syncFrom` is not given. */
  constructor(
    private readonly connections: SalesforceConnectionQueries,
    private readonly clients: SalesforceClients,
    private readonly options: { defaultBackfillMs: number },
    private readonly log: Logger,
  ) {}

  /** The origin of a login or instance URL, once the URL rule allows it. */
  private async checkUrl(field: string, value: string): Promise<string> {
    const url = parseUrl(field, value);
    if (url.protocol !== 'https:' && !this.clients.urls.allowsPrivate)
      throw badInput(field, 'must use https');
    try {
      await this.clients.urls.check(url.href);
    } catch (error) {
      if (!(error instanceof UrlRefusedError)) throw error;
      if (url.protocol !== 'https:') throw badInput(field, 'must use https');
      this.log.warn({ field, detail: error.detail }, 'Salesforce URL refused');
      throw unreachable(field);
    }
    return `${url.protocol}//${url.host}`;
  }

  async connect(ctx: RequestContext, input: ConnectSalesforceInput): Promise<ConnectedSalesforce> {
    const loginUrl = await this.checkUrl('input.loginUrl', input.loginUrl);
    const instanceUrl = await this.checkUrl('input.instanceUrl', input.instanceUrl);
    for (const key of ['clientId', 'clientSecret', 'refreshToken'] as const) {
      if (!input[key]?.trim() || input[key].length > 2000) throw badInput(`input.${key}`, 'is required');
    }
    const apiVersion = input.apiVersion ?? DEFAULT_API_VERSION;
    if (!/^\d{2,3}\.0$/.test(apiVersion)) throw badInput('input.apiVersion', 'must look like 62.0');
    const badField = input.fieldConfig ? invalidFieldName(input.fieldConfig) : null;
    if (badField) throw badInput(`input.fieldConfig.${badField.key}`, 'is not a Salesforce API field name');

    // Prove the credentials work before storing them: one refresh, which also yields the org id.
    const probe = this.clients.probe(ctx, {
      loginUrl,
      instanceUrl,
      clientId: input.clientId,
      clientSecret: input.clientSecret,
      refreshToken: input.refreshToken,
      apiVersion,
    });
    let session;
    try {
      session = await probe.refreshSession();
    } catch (error) {
      const failure = error as SalesforceError;
      // Only an OAuth answer from Salesforce itself is worth showing; anything else may describe the network.
      if (
        failure.kind === 'AUTH_BROKEN' &&
        failure.code !== 'URL_NOT_ALLOWED' &&
        failure.code !== 'REFRESH_LOOP'
      )
        throw badInput('input.refreshToken', `Salesforce did not accept the credentials: ${failure.code}`);
      this.log.warn(
        { code: failure.code, detail: failure.message },
        'Salesforce could not be reached on connect',
      );
      throw unreachable('input.loginUrl');
    }
    const triggerSecret = newTriggerSecret();
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
          : new Date(now.getTime() - this.options.defaultBackfillMs);
      const row = repo.create({
        ...(existing ?? {}),
        id,
        environmentId: tx.environmentId,
        loginUrl,
        instanceUrl: session.instanceUrl || instanceUrl,
        clientId: input.clientId.trim(),
        ...this.clients.seal(id, {
          clientSecret: input.clientSecret,
          refreshToken: session.rotatedRefreshToken ?? input.refreshToken,
          accessToken: session.accessToken,
        }),
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
      this.clients.forget(id);
      return { connection: row, triggerSecret };
    });
  }

  async disconnect(ctx: RequestContext): Promise<SalesforceConnectionEntity> {
    const connection = await this.connections.getOrThrow(ctx);
    const now = ctx.now();
    // The secrets are destroyed, not kept "just in case"; the drafts and outbox history stay.
    Object.assign(connection, {
      status: 'DISCONNECTED',
      statusReason: 'Disconnected by the user',
      clientSecretSealed: '',
      refreshTokenSealed: '',
      accessTokenSealed: null,
      triggerSecretHash: unguessableTriggerSecretHash(),
      syncLeaseOwner: null,
      syncLeaseUntil: null,
      updatedAt: now,
    });
    await ctx.repo(SalesforceConnectionEntity).save(connection);
    this.clients.forget(connection.id);
    return connection;
  }

  async rotateTriggerSecret(ctx: RequestContext): Promise<string> {
    const connection = await this.connections.getOrThrow(ctx);
    const secret = newTriggerSecret();
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
    const connection = await this.connections.getOrThrow(ctx);
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
}
