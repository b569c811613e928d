import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type RequestContext } from '../../context';
import { notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { ApiKeyEntity } from '../../entities/api-key.entity';
import { EnvironmentEntity } from '../../entities/environment.entity';
import { badInput } from '../../domain/errors';
import { publishAfterCommit, type PubSub } from '../common';

/**
 * Published (after commit, to every instance through the pub/sub) when a key is revoked, with `apiKeyId`:
 * instances forget the key at once and close the WebSockets it authenticated.
 */
export const API_KEY_REVOKED_TOPIC = 'credentials:api-key-revoked';

export interface AuthenticatedKey {
  apiKeyId: string;
  environmentId: string;
  organizationId: string;
}

export interface CreatedApiKey {
  apiKey: ApiKeyEntity;
  /** The key itself: shown once, never stored. */
  secret: string;
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** How long a verified key is trusted without asking the database again (revocation takes at most this long across processes). */
const CACHE_TTL_MS = 5_000;

export class ApiKeyService {
  private readonly cache = new Map<string, { key: AuthenticatedKey | null; expires: number }>();

  constructor(
    private readonly db: DataSource,
    private readonly pubsub: PubSub | null = null,
  ) {
    pubsub?.subscribe(API_KEY_REVOKED_TOPIC, (payload) => {
      const apiKeyId = (payload as { apiKeyId?: unknown } | null)?.apiKeyId;
      if (typeof apiKeyId === 'string') this.forget(apiKeyId);
    });
  }

  private forget(apiKeyId: string): void {
    for (const [hash, cached] of this.cache) if (cached.key?.apiKeyId === apiKeyId) this.cache.delete(hash);
  }

  /** Creates a key row and returns the secret once. */
  async create(ctx: RequestContext, name: string, environmentKind = 'live'): Promise<CreatedApiKey> {
    const trimmed = name.trim();
    if (!trimmed || trimmed.length > 100) throw badInput('name', 'must be 1 to 100 characters');
    const secret = `tly_${environmentKind.toLowerCase()}_${randomBytes(32).toString('base64url')}`;
    const apiKey = ctx.repo(ApiKeyEntity).create({
      id: newId('key'),
      environmentId: ctx.environmentId,
      name: trimmed,
      prefix: secret.slice(0, 16),
      keyHash: hashApiKey(secret),
      createdAt: ctx.now(),
      revokedAt: null,
    });
    await ctx.repo(ApiKeyEntity).insert(apiKey);
    return { apiKey, secret };
  }

  async list(ctx: RequestContext): Promise<ApiKeyEntity[]> {
    return ctx.repo(ApiKeyEntity).find({ where: { environmentId: ctx.environmentId }, order: { id: 'ASC' } });
  }

  async revoke(ctx: RequestContext, id: string): Promise<ApiKeyEntity> {
    const repo = ctx.repo(ApiKeyEntity);
    const key = await repo.findOne({ where: { id, environmentId: ctx.environmentId } });
    if (!key) throw notFound('API key', id);
    if (!key.revokedAt) {
      key.revokedAt = ctx.now();
      await repo.update({ id }, { revokedAt: key.revokedAt });
    }
    this.forget(id);
    // Other instances forget it too, and every instance closes the sockets it opened (see socket-revocations.ts).
    publishAfterCommit(ctx, this.pubsub, API_KEY_REVOKED_TOPIC, { apiKeyId: id });
    return key;
  }

  /** Resolves a presented key to its environment, or null when it is unknown or revoked. */
  async authenticate(secret: string, nowMs = Date.now()): Promise<AuthenticatedKey | null> {
    const hash = hashApiKey(secret);
    const cached = this.cache.get(hash);
    if (cached && cached.expires > nowMs) return cached.key;
    const row = await this.db
      .getRepository(ApiKeyEntity)
      .createQueryBuilder('k')
      .innerJoin(EnvironmentEntity, 'e', 'e.id = k.environment_id')
      .select(['k.id AS id', 'k.environment_id AS environmentId', 'e.organization_id AS organizationId'])
      .where('k.key_hash = :hash AND k.revoked_at IS NULL', { hash })
      .getRawOne<{ id: string; environmentId: string; organizationId: string }>();
    const key = row
      ? { apiKeyId: row.id, environmentId: row.environmentId, organizationId: row.organizationId }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { key, expires: nowMs + CACHE_TTL_MS });
    return key;
  }
}
