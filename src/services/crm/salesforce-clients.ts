import {
  SalesforceClient,
  type ApiUsage,
  type RefreshedSession,
  type SalesforceClientDeps,
  type SalesforceCredentials,
} from '../../../connectors/salesforce';
import type { RequestContext } from '../../context';
import { SalesforceConnectionEntity } from '../../entities/salesforce-connection.entity';
import type { Logger } from '../../logger';
import { UrlRefusedError, type PublicUrlPolicy } from '../common';
import type { SecretBox } from './secret-box';

type SealedCredentialColumns = Pick<
  SalesforceConnectionEntity,
  'clientSecretSealed' | 'refreshTokenSealed' | 'accessTokenSealed'
>;

interface CachedClient {
  signature: string;
  client: SalesforceClient;
  /** The context of the latest caller: a cached client outlives requests, so it keeps the newest one's clock. */
  ctx: RequestContext;
}

/**
 * The Salesforce clients of the connections and their encrypted credentials: one client per connection,
 * kept while its credentials stay the same (the refresh circuit lives in it), and every token it obtains
 * sealed into the connection row.
 */
export class SalesforceClients {
  /** Clock-free client settings; tests replace `sleep` so retries do not wait. */
  options: Partial<SalesforceClientDeps> = {};
  private readonly cache = new Map<string, CachedClient>();

  /** `urls`: where the clients may send requests (every request URL is checked against it). */
  constructor(
    private readonly secrets: SecretBox,
    readonly urls: PublicUrlPolicy,
    private readonly log: Logger,
  ) {}

  /** A client that is not cached nor stored, for proving credentials before they are saved. */
  probe(ctx: RequestContext, credentials: SalesforceCredentials): SalesforceClient {
    return new SalesforceClient(
      credentials,
      this.deps(() => ctx),
    );
  }

  /** The credential columns of a connection row, each sealed to its row and column. */
  seal(
    connectionId: string,
    credentials: { clientSecret: string; refreshToken: string; accessToken: string },
  ): SealedCredentialColumns {
    return {
      clientSecretSealed: this.secrets.seal(credentials.clientSecret, `${connectionId}:client_secret`),
      refreshTokenSealed: this.secrets.seal(credentials.refreshToken, `${connectionId}:refresh_token`),
      accessTokenSealed: this.secrets.seal(credentials.accessToken, `${connectionId}:access_token`),
    };
  }

  clientFor(ctx: RequestContext, connection: SalesforceConnectionEntity): SalesforceClient {
    const signature = [
      connection.loginUrl,
      connection.clientId,
      connection.clientSecretSealed,
      connection.apiVersion,
    ].join('|');
    const cached = this.cache.get(connection.id);
    if (cached && cached.signature === signature) {
      cached.ctx = ctx;
      return cached.client;
    }
    const id = connection.id;
    const entry = { signature, ctx } as CachedClient;
    entry.client = new SalesforceClient(
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
        ...this.deps(() => entry.ctx),
        onSessionRefreshed: (session) => this.storeSession(entry.ctx, id, session),
        reloadRefreshToken: () => this.storedRefreshToken(entry.ctx, id),
      },
    );
    this.cache.set(connection.id, entry);
    return entry.client;
  }

  /** Drops the cached client (new credentials, or none any more). */
  forget(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  /** The API usage Salesforce last reported to this connection's client, if it has one. */
  apiUsage(connectionId: string): ApiUsage | null {
    return this.cache.get(connectionId)?.client.apiUsage ?? null;
  }

  private deps(current: () => RequestContext): SalesforceClientDeps {
    return {
      now: () => current().now().getTime(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...this.options,
      checkUrl: async (url) => {
        try {
          await this.urls.check(url);
        } catch (error) {
          // The caller only learns that the URL is not allowed; where it pointed stays in the log.
          if (error instanceof UrlRefusedError)
            this.log.warn({ detail: error.detail }, 'Salesforce URL refused');
          throw error;
        }
      },
    };
  }

  /** The refresh token in the connection row now, read outside any transaction of the caller. */
  private async storedRefreshToken(ctx: RequestContext, id: string): Promise<string | null> {
    const row = await ctx.db
      .getRepository(SalesforceConnectionEntity)
      .findOne({ select: { id: true, refreshTokenSealed: true }, where: { id } });
    return row?.refreshTokenSealed ? this.secrets.open(row.refreshTokenSealed, `${id}:refresh_token`) : null;
  }

  /**
   * Rotated refresh tokens are stored before the replayed request runs: losing one locks us out. The write
   * goes straight to the database, outside any transaction of the caller, so a rollback cannot undo it.
   */
  private async storeSession(ctx: RequestContext, id: string, session: RefreshedSession): Promise<void> {
    await ctx.db.getRepository(SalesforceConnectionEntity).update(
      { id },
      {
        accessTokenSealed: this.secrets.seal(session.accessToken, `${id}:access_token`),
        instanceUrl: session.instanceUrl,
        ...(session.rotatedRefreshToken
          ? { refreshTokenSealed: this.secrets.seal(session.rotatedRefreshToken, `${id}:refresh_token`) }
          : {}),
        ...(session.organizationId ? { salesforceOrgId: session.organizationId } : {}),
        updatedAt: ctx.now(),
      },
    );
  }
}
