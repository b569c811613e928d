import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../context';
import { withTransaction } from '../../db/transaction';
import { badInput, conflict, notFound } from '../../domain/errors';
import { newId } from '../../domain/ids';
import { WebhookDeliveryEntity } from '../../entities/webhook-delivery.entity';
import { WebhookEndpointEntity } from '../../entities/webhook-endpoint.entity';
import { optionalText, UrlRefusedError, type PublicUrlPolicy } from '../common';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types';

/** Endpoints per environment: every event is written once per subscribed endpoint, in the billing transaction. */
export const MAX_WEBHOOK_ENDPOINTS = 16;
export const MAX_WEBHOOK_URL_LENGTH = 2048;
export const MAX_WEBHOOK_DESCRIPTION_LENGTH = 500;

export interface WebhookEndpointInput {
  url?: string | null;
  eventTypes?: string[] | null;
  description?: string | null;
}

/** An endpoint with its signing secret: answered once, by create and rotate. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpointEntity;
  secret: string;
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('hex')}`;
}

/**
 * Webhook endpoints of an environment: create, list, update, disable, delete, rotate the secret.
 * URLs follow the rule for every URL a user gives the server to call (PublicUrlPolicy): https to public
 * addresses in production.
 */
export class WebhookEndpointService {
  constructor(private readonly urls: PublicUrlPolicy) {}

  async create(ctx: RequestContext, input: WebhookEndpointInput): Promise<EndpointWithSecret> {
    const url = await this.checkUrl(input.url);
    const eventTypes = this.checkEventTypes(input.eventTypes);
    const description = optionalText(input.description, 'description', MAX_WEBHOOK_DESCRIPTION_LENGTH);
    return withTransaction(ctx, async (tx) => {
      // Counted under the environment's endpoint rows' locks so two concurrent creates cannot both pass.
      const [{ n }] = (await tx.manager.query(
        'SELECT COUNT(*) AS n FROM webhook_endpoints WHERE environment_id = ? FOR UPDATE',
        [tx.environmentId],
      )) as Array<{ n: string }>;
      if (Number(n) >= MAX_WEBHOOK_ENDPOINTS)
        throw conflict(`An environment has at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`, 'url');
      const now = tx.now();
      const endpoint = tx.repo(WebhookEndpointEntity).create({
        id: newId('whe', now.getTime()),
        environmentId: tx.environmentId,
        url,
        description,
        eventTypes,
        secret: newSecret(),
        status: 'ENABLED',
        createdAt: now,
        updatedAt: now,
      });
      await tx.repo(WebhookEndpointEntity).insert(endpoint);
      return { endpoint, secret: endpoint.secret };
    });
  }

  async list(ctx: RequestContext): Promise<WebhookEndpointEntity[]> {
    return ctx.repo(WebhookEndpointEntity).find({
      where: { environmentId: ctx.environmentId },
      order: { id: 'ASC' },
    });
  }

  async getOrThrow(ctx: RequestContext, id: string, field = 'id'): Promise<WebhookEndpointEntity> {
    const endpoint = await ctx
      .repo(WebhookEndpointEntity)
      .findOne({ where: { id, environmentId: ctx.environmentId } });
    if (!endpoint) throw notFound('Webhook endpoint', id, field);
    return endpoint;
  }

  /** Changes the given fields; `enabled: true` turns a disabled endpoint back on (its queued deliveries resume). */
  async update(
    ctx: RequestContext,
    id: string,
    input: WebhookEndpointInput & { enabled?: boolean | null },
  ): Promise<WebhookEndpointEntity> {
    const changes: Partial<WebhookEndpointEntity> = {};
    if (input.url !== undefined && input.url !== null) changes.url = await this.checkUrl(input.url);
    if (input.eventTypes !== undefined && input.eventTypes !== null)
      changes.eventTypes = this.checkEventTypes(input.eventTypes);
    if (input.description !== undefined)
      changes.description = optionalText(input.description, 'description', MAX_WEBHOOK_DESCRIPTION_LENGTH);
    if (input.enabled !== undefined && input.enabled !== null)
      changes.status = input.enabled ? 'ENABLED' : 'DISABLED';
    return withTransaction(ctx, async (tx) => {
      await this.getOrThrow(tx, id);
      await tx.repo(WebhookEndpointEntity).update({ id }, { ...changes, updatedAt: tx.now() });
      return this.getOrThrow(tx, id);
    });
  }

  /** Stops deliveries to the endpoint; events still queue for it and go out once it is enabled again. */
  async disable(ctx: RequestContext, id: string): Promise<WebhookEndpointEntity> {
    return this.update(ctx, id, { enabled: false });
  }

  /** Deletes the endpoint with its deliveries and their attempts (the events stay for other endpoints). */
  async delete(ctx: RequestContext, id: string): Promise<boolean> {
    return withTransaction(ctx, async (tx) => {
      await this.getOrThrow(tx, id);
      await tx.manager.query(
        `DELETE a FROM webhook_delivery_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
          WHERE d.endpoint_id = ?`,
        [id],
      );
      await tx.repo(WebhookDeliveryEntity).delete({ endpointId: id });
      await tx.repo(WebhookEndpointEntity).delete({ id });
      return true;
    });
  }

  /** A new signing secret; the old one stops signing at once. Shown once. */
  async rotateSecret(ctx: RequestContext, id: string): Promise<EndpointWithSecret> {
    return withTransaction(ctx, async (tx) => {
      await this.getOrThrow(tx, id);
      const secret = newSecret();
      await tx.repo(WebhookEndpointEntity).update({ id }, { secret, updatedAt: tx.now() });
      return { endpoint: await this.getOrThrow(tx, id), secret };
    });
  }

  private async checkUrl(value: string | null | undefined): Promise<string> {
    if (value === null || value === undefined || !value.trim()) throw badInput('url', 'is required');
    const url = value.trim();
    if (url.length > MAX_WEBHOOK_URL_LENGTH)
      throw badInput('url', `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
    try {
      await this.urls.check(url);
    } catch (error) {
      if (error instanceof UrlRefusedError)
        throw badInput(
          'url',
          this.urls.allowsPrivate
            ? 'must be an https URL (or http to localhost in development)'
            : 'must be an https URL of a public host',
        );
      throw error;
    }
    return url;
  }

  private checkEventTypes(value: string[] | null | undefined): WebhookEventType[] {
    if (!value || !value.length) throw badInput('eventTypes', 'must name at least one event type');
    const types: WebhookEventType[] = [];
    value.forEach((type, index) => {
      if (!isWebhookEventType(type))
        throw badInput(`eventTypes.${index}`, `must be one of ${WEBHOOK_EVENT_TYPES.join(', ')}`);
      if (!types.includes(type)) types.push(type);
    });
    return types;
  }
}
