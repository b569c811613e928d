import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { RequestContext } from '../../context';
import { badInput, forbidden, notFound, unauthenticated } from '../../domain/errors';
import { CustomerEntity } from '../../entities/customer.entity';
import { EnvironmentEntity } from '../../entities/environment.entity';
import type { Principal, TokenVerifier } from './authenticator';

const PREFIX = 'tpt_';
const MAX_TTL_SECONDS = 7 * 24 * 3600;

interface PortalTokenPayload {
  v: 1;
  env: string;
  org: string;
  cus: string;
  iat: number;
  exp: number;
}

export interface IssuedPortalToken {
  token: string;
  customerId: string;
  expiresAt: Date;
}

/**
 * Customer-portal tokens: `tpt_<payload>.<signature>`, an HMAC-SHA256 over the base64url JSON payload
 * (environment, organization, customer, issued-at, expiry) with PORTAL_TOKEN_SECRET. Stateless: rotating
 * the secret invalidates every token issued before. A token reads only its own customer's data.
 */
export class PortalTokenService implements TokenVerifier {
  constructor(
    private readonly db: DataSource,
    private readonly secret: string,
  ) {}

  async issue(ctx: RequestContext, customerId: string, ttlSeconds: number): Promise<IssuedPortalToken> {
    if (ctx.caller.kind !== 'API_KEY' && ctx.caller.kind !== 'SYSTEM')
      throw forbidden('Portal tokens are issued with an API key');
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > MAX_TTL_SECONDS) {
      throw badInput('ttlSeconds', `must be a whole number of seconds between 60 and ${MAX_TTL_SECONDS}`);
    }
    const customer = await ctx
      .repo(CustomerEntity)
      .findOne({ where: { id: customerId, environmentId: ctx.environmentId } });
    if (!customer) throw notFound('Customer', customerId);
    const iat = Math.floor(ctx.now().getTime() / 1000);
    const payload: PortalTokenPayload = {
      v: 1,
      env: ctx.environmentId,
      org: ctx.organizationId,
      cus: customerId,
      iat,
      exp: iat + ttlSeconds,
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
    // The environment may have been deleted (sandboxes): then the token is dead too.
    const environment = await this.db
      .getRepository(EnvironmentEntity)
      .findOne({ where: { id: payload.env } });
    if (!environment)
      throw unauthenticated('The customer token refers to an environment that no longer exists');
    return {
      environmentId: payload.env,
      organizationId: payload.org,
      caller: { kind: 'PORTAL', customerId: payload.cus },
      expiresAt: new Date(payload.exp * 1000),
    };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret).update(`portal-token:${body}`).digest('base64url');
  }
}
