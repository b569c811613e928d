import type { DataSource } from 'typeorm';
import { RequestContext, type Caller, type Clock } from '../../context';
import { unauthenticated } from '../../domain/errors';
import type { Logger } from '../../logger';
import type { ApiKeyService } from './api-key.service';

export interface Principal {
  environmentId: string;
  organizationId: string;
  caller: Caller;
  /** When the credential stops being valid (customer-portal tokens); null for API keys. */
  expiresAt?: Date | null;
  /** The generation a portal token was issued under: revoking the customer's tokens moves past it. */
  portalTokenGeneration?: number;
}

/** Verifies a bearer token of another kind than API keys (customer-portal tokens plug in here). */
export interface TokenVerifier {
  /** Returns null when the token is not of this verifier's kind; throws when it is but is invalid. */
  verify(token: string, now: Date): Promise<Principal | null>;
}

/**
 * Turns a bearer token into a RequestContext. API keys (`tly_…`) act on their environment;
 * other verifiers (portal tokens) are tried in order. Anything else is UNAUTHENTICATED.
 */
export class Authenticator {
  private readonly verifiers: TokenVerifier[] = [];

  constructor(
    private readonly db: DataSource,
    private readonly apiKeys: ApiKeyService,
    private readonly clock: Clock,
  ) {}

  addVerifier(verifier: TokenVerifier): void {
    this.verifiers.push(verifier);
  }

  async principal(token: string | null): Promise<Principal> {
    if (!token) throw unauthenticated('Missing Authorization: Bearer <API key> header');
    if (token.startsWith('tly_')) {
      const key = await this.apiKeys.authenticate(token, this.clock.now().getTime());
      if (!key) throw unauthenticated('The API key is not valid or has been revoked');
      return {
        environmentId: key.environmentId,
        organizationId: key.organizationId,
        caller: { kind: 'API_KEY', apiKeyId: key.apiKeyId },
      };
    }
    for (const verifier of this.verifiers) {
      const principal = await verifier.verify(token, this.clock.now());
      if (principal) return principal;
    }
    throw unauthenticated('The bearer token is not a valid API key or customer token');
  }

  async context(token: string | null, requestId: string, log: Logger): Promise<RequestContext> {
    const principal = await this.principal(token);
    return this.contextFor(principal, requestId, log);
  }

  contextFor(principal: Principal, requestId: string, log: Logger): RequestContext {
    return new RequestContext(
      this.db,
      principal.environmentId,
      principal.organizationId,
      principal.caller,
      this.clock,
      log.child({ requestId, environmentId: principal.environmentId }),
      requestId,
    );
  }
}
