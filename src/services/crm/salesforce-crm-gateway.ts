import {
  rateLimitPauseMs,
  type SalesforceClient,
  type SalesforceError,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import type { Logger } from '../../logger';
import type { CrmConnectionGateway } from './crm-outbox.service';
import type { SalesforceClients } from './salesforce-clients';
import type { SalesforceConnectionQueries } from './salesforce-connection-queries';

/**
 * What talking to Salesforce needs from a connection, for the outbox pusher and the deal sync: which
 * environments take writes, their client, and the connection's state after a limit or auth failure.
 */
export class SalesforceCrmGateway implements CrmConnectionGateway {
  constructor(
    private readonly connections: SalesforceConnectionQueries,
    private readonly clients: SalesforceClients,
    private readonly log: Logger,
  ) {}

  async writableEnvironments(ctx: RequestContext): Promise<string[]> {
    return this.connections.writableEnvironments(ctx);
  }

  async clientForEnvironment(ctx: RequestContext): Promise<SalesforceClient | null> {
    const connection = await this.connections.find(ctx);
    if (!connection || connection.status === 'DISCONNECTED' || connection.status === 'AUTH_BROKEN')
      return null;
    return this.clients.clientFor(ctx, connection);
  }

  /** A limit pauses the whole connection; broken auth stops it until someone reconnects. */
  async reportConnectionFailure(ctx: RequestContext, error: SalesforceError): Promise<void> {
    const { environmentId } = ctx;
    const now = ctx.now();
    const repo = ctx.repo(SalesforceConnectionEntity);
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

  async recordApiUsage(ctx: RequestContext): Promise<void> {
    const connection = await this.connections.find(ctx);
    const usage = connection ? this.clients.apiUsage(connection.id) : null;
    if (!connection || !usage) return;
    await ctx
      .repo(SalesforceConnectionEntity)
      .update({ id: connection.id }, { apiUsageUsed: usage.used, apiUsageMax: usage.max });
  }
}
