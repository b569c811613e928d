import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, forbidden, notFound, unauthenticated } from '../../domain/errors';
import { CustomerEntity } from '../../entities/customer.entity';
import { publishAfterCommit, type PubSub } from '../common';
import type { Principal, TokenVerifier } from './authenticator';
import { bumpGeneration, currentGeneration, PORTAL_TOKENS_REVOKED_TOPIC } from './portal-token-revocations';

const PREFIX = 'tpt_';
const MAX_TTL_SECONDS = 7 * 24 * 3600;

interface PortalTokenPayload {
  v: 1;
  env: string;
  org: string;
  cus: string;
  iat: number;
  exp: number;
  /** The customer's token generation at issue; absent (0) in tokens issued before revocation existed. */
  gen?: number;
}

export interface IssuedPortalToken {
  token: string;
  customerId: string;
  expiresAt: Date;
}

export interface PortalTokenRevocation {
  customerId: string;
  revokedAt: Date;
}

/**
 * Customer-portal tokens: `tpt_<payload>.<signature>`, an HMAC-SHA256 over the base64url JSON payload
 * (environment, organization, customer, issued-at, expiry) with PORTAL_TOKEN_SECRET. Stateless: rotating
 * the secret invalidates every token issued before. A token reads only its own customer's data.
 * Revoking a customer's tokens (or rotating them: revoke and issue one) moves the customer to a new token
 * generation; tokens of an earlier one are refused, and the sockets they opened are closed (4403) on every
 * instance.
 */
export class PortalTokenService implements TokenVerifier {
  constructor(
    private readonly db: DataSource,
    private readonly secret: string,
    private readonly pubsub: PubSub | null = null,
  ) {}

  async issue(ctx: RequestContext, customerId: string, ttlSeconds: number): Promise<IssuedPortalToken> {
    checkIssuer(ctx, ttlSeconds);
    await this.requireCustomer(ctx, customerId);
    return this.sealed(
      ctx,
      customerId,
      ttlSeconds,
      await currentGeneration(ctx.manager, ctx.environmentId, customerId),
    );
  }

  /** Revokes every token issued so far for the customer and issues a new one, in one transaction. */
  async rotate(ctx: RequestContext, customerId: string, ttlSeconds: number): Promise<IssuedPortalToken> {
    checkIssuer(ctx, ttlSeconds);
    return withTransaction(ctx, async (tx) => {
      const generation = await this.revokeIn(tx, customerId);
      return this.sealed(tx, customerId, ttlSeconds, generation);
    });
  }

  /** Revokes every token issued so far for the customer. */
  async revoke(ctx: RequestContext, customerId: string): Promise<PortalTokenRevocation> {
    requireOperator(ctx);
    return withTransaction(ctx, async (tx) => {
      await this.revokeIn(tx, customerId);
      return { customerId, revokedAt: tx.now() };
    });
  }

  private async revokeIn(tx: RequestContext, customerId: string): Promise<number> {
    await this.requireCustomer(tx, customerId);
    const generation = await bumpGeneration(tx, customerId);
    // Every instance closes the sockets opened with an earlier token (see socket-revocations.ts).
    publishAfterCommit(tx, this.pubsub, PORTAL_TOKENS_REVOKED_TOPIC, { customerId, generation });
    return generation;
  }

  private async requireCustomer(ctx: RequestContext, customerId: string): Promise<void> {
    const customer = await ctx
      .repo(CustomerEntity)
      .findOne({ where: { id: customerId, environmentId: ctx.environmentId } });
    if (!customer) throw notFound('Customer', customerId, 'customerId');
  }

  private sealed(
    ctx: RequestContext,
    customerId: string,
    ttlSeconds: number,
    generation: number,
  ): IssuedPortalToken {
    const iat = Math.floor(ctx.now().getTime() / 1000);
    const payload: PortalTokenPayload = {
      v: 1,
      env: ctx.environmentId,
      org: ctx.organizationId,
      cus: customerId,
      iat,
      exp: iat + ttlSeconds,
      gen: generation,
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return {
      token: `${PREFIX}${body}.${this.sign(body)}`,
      customerId,
      expiresAt: new Date(payload.exp * 1000),
    };
  }

  async verify(token: string, now: Date): Promise<Principal | null> {
    if (!token.startsWith(PREFIX)) return null;
    const [body, signature, extra] = token.slice(PREFIX.length).split('.');
    if (!body || !signature || extra !== undefined) throw unauthenticated('Malformed customer token');
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw unauthenticated('The customer token signature is not valid');
    }
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PortalTokenPayload;
    if (payload.exp * 1000 <= now.getTime()) throw unauthenticated('The customer token has expired');
    // The environment may have been deleted (sandboxes): then the token is dead too. One query reads
    // both that and the customer's token generation.
    const [state] = (await this.db.query(
      `SELECT r.generation FROM environments e
         LEFT JOIN portal_token_revocations r ON r.environment_id = e.id AND r.customer_id = ?
        WHERE e.id = ?`,
      [payload.cus, payload.env],
    )) as Array<{ generation: number | null }>;
    if (!state) throw unauthenticated('The customer token refers to an environment that no longer exists');
    const generation = payload.gen ?? 0;
    if (generation < Number(state.generation ?? 0))
      throw unauthenticated('The customer token has been revoked');
    return {
      environmentId: payload.env,
      organizationId: payload.org,
      caller: { kind: 'PORTAL', customerId: payload.cus },
      expiresAt: new Date(payload.exp * 1000),
      portalTokenGeneration: generation,
    };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(`portal-token:${body}`).digest('base64url');
  }
}

function requireOperator(ctx: RequestContext): void {
  if (ctx.caller.kind !== 'API_KEY' && ctx.caller.kind !== 'SYSTEM')
    throw forbidden('Portal tokens are issued and revoked with an API key');
}

function checkIssuer(ctx: RequestContext, ttlSeconds: number): void {
  requireOperator(ctx);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > MAX_TTL_SECONDS) {
    throw badInput('ttlSeconds', `must be a whole number of seconds between 60 and ${MAX_TTL_SECONDS}`);
  }
}
