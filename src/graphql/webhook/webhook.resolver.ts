import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { WebhookEndpointEntity } from '../../entities/webhook-endpoint.entity';
import { WEBHOOK_EVENT_TYPES, type EndpointWithSecret } from '../../services/webhooks';
import { type GraphQLContext, requireApiKey } from '../context';
import { decodeCursor, pageComplexity, toConnection } from '../pagination';
import {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryStatusEnum,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from './webhook.types';

/** Webhook endpoints, deliveries and resends: API keys only (a portal token is refused with FORBIDDEN). */
@Resolver()
export class WebhookResolver {
  @Query(() => [String], { description: 'Every event type an endpoint can subscribe to.' })
  webhookEventTypes(@Ctx() context: GraphQLContext): string[] {
    requireApiKey(context);
    return [...WEBHOOK_EVENT_TYPES];
  }

  @Query(() => [WebhookEndpoint])
  async webhookEndpoints(@Ctx() context: GraphQLContext): Promise<WebhookEndpointEntity[]> {
    requireApiKey(context);
    return context.services.webhooks.endpoints.list(context.ctx);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'Registers an endpoint; its signing secret is in the answer, and only there.',
  })
  async createWebhookEndpoint(
    @Arg('url') url: string,
    @Arg('eventTypes', () => [String]) eventTypes: string[],
    @Arg('description', () => String, { nullable: true }) description: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<EndpointWithSecret> {
    requireApiKey(context);
    return context.services.webhooks.endpoints.create(context.ctx, { url, eventTypes, description });
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Changes the given fields; enabled: true resumes a disabled endpoint.',
  })
  async updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Arg('url', () => String, { nullable: true }) url: string | null,
    @Arg('eventTypes', () => [String], { nullable: true }) eventTypes: string[] | null,
    @Arg('description', () => String, { nullable: true }) description: string | undefined,
    @Arg('enabled', () => Boolean, { nullable: true }) enabled: boolean | null,
    @Ctx() context: GraphQLContext,
  ): Promise<WebhookEndpointEntity> {
    requireApiKey(context);
    return context.services.webhooks.endpoints.update(context.ctx, id, {
      url,
      eventTypes,
      description,
      enabled,
    });
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Pauses deliveries; events keep queueing for the endpoint.',
  })
  async disableWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<WebhookEndpointEntity> {
    requireApiKey(context);
    return context.services.webhooks.endpoints.disable(context.ctx, id);
  }

  @Mutation(() => Boolean, { description: 'Deletes the endpoint and its deliveries.' })
  async deleteWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<boolean> {
    requireApiKey(context);
    return context.services.webhooks.endpoints.delete(context.ctx, id);
  }

  @Mutation(() => WebhookEndpointWithSecret, {
    description: 'A new signing secret, shown once; the old one stops signing at once.',
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Ctx() context: GraphQLContext,
  ): Promise<EndpointWithSecret> {
    requireApiKey(context);
    return context.services.webhooks.endpoints.rotateSecret(context.ctx, id);
  }

  @Mutation(() => Int, {
    description:
      'Sends an event again, same id, to the endpoints it was addressed to (or only endpointId); answers how many deliveries were queued.',
  })
  async resendWebhookEvent(
    @Arg('eventId', () => ID) eventId: string,
    @Arg('endpointId', () => ID, { nullable: true }) endpointId: string | null,
    @Ctx() context: GraphQLContext,
  ): Promise<number> {
    requireApiKey(context);
    return context.services.webhooks.events.resend(context.ctx, eventId, endpointId);
  }

  @Query(() => WebhookDeliveryConnection, {
    complexity: pageComplexity,
    description: "An endpoint's deliveries, newest first, with every attempt.",
  })
  async webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('status', () => WebhookDeliveryStatusEnum, { nullable: true })
    status: WebhookDeliveryStatusEnum | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() context: GraphQLContext,
  ) {
    requireApiKey(context);
    const { ctx, services } = context;
    await services.webhooks.endpoints.getOrThrow(ctx, endpointId, 'endpointId');
    const page = await services.webhooks.deliveries.list(ctx, endpointId, status, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    const ids = page.nodes.map((d) => d.id);
    const [attempts, types] = await Promise.all([
      services.webhooks.deliveries.attemptsOf(ctx, ids),
      services.webhooks.deliveries.eventTypesOf(ctx, [...new Set(page.nodes.map((d) => d.eventId))]),
    ]);
    const nodes: WebhookDelivery[] = page.nodes.map((d) => ({
      id: d.id,
      endpointId: d.endpointId,
      eventId: d.eventId,
      eventType: types.get(d.eventId) ?? '',
      objectId: d.objectId,
      status: d.status as WebhookDeliveryStatusEnum,
      attemptCount: d.attempts,
      nextAttemptAt: d.nextAttemptAt,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
      attempts: attempts.filter((a) => a.deliveryId === d.id),
    }));
    return toConnection({ nodes, hasNextPage: page.hasNextPage });
  }
}
