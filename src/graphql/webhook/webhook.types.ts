import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../pagination';

export enum WebhookEndpointStatusEnum {
  ENABLED = 'ENABLED',
  DISABLED = 'DISABLED',
}
registerEnumType(WebhookEndpointStatusEnum, {
  name: 'WebhookEndpointStatus',
  description:
    'DISABLED: nothing is sent; events still queue for the endpoint and go out once it is enabled.',
});

export enum WebhookDeliveryStatusEnum {
  PENDING = 'PENDING',
  DELIVERED = 'DELIVERED',
  DEAD = 'DEAD',
}
registerEnumType(WebhookDeliveryStatusEnum, {
  name: 'WebhookDeliveryStatus',
  description:
    'PENDING: not yet delivered (retrying with backoff). DEAD: refused by the receiver (4xx other than 408 and 429), or still failing after 3 days; resendWebhookEvent sends it again.',
});

@ObjectType('WebhookEndpoint', {
  description: 'A URL that receives signed webhook events. The secret is never returned here.',
})
export class WebhookEndpoint {
  @Field(() => ID) id!: string;
  @Field() url!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [String], { description: 'The event types sent to this endpoint, e.g. invoice.finalized.' })
  eventTypes!: string[];
  @Field(() => WebhookEndpointStatusEnum) status!: WebhookEndpointStatusEnum;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType('WebhookEndpointWithSecret', {
  description: 'An endpoint and its signing secret, shown this once (create and rotate only).',
})
export class WebhookEndpointWithSecret {
  @Field(() => WebhookEndpoint) endpoint!: WebhookEndpoint;
  @Field({ description: 'The HMAC-SHA256 key of the Tally-Signature header (whsec_…).' }) secret!: string;
}

@ObjectType('WebhookDeliveryAttempt', { description: 'One HTTP attempt of a delivery.' })
export class WebhookDeliveryAttempt {
  @Field(() => ID) id!: string;
  @Field(() => Date) attemptedAt!: Date;
  @Field(() => Int, { nullable: true, description: 'The HTTP status; null on a timeout or network error.' })
  statusCode!: number | null;
  @Field(() => Int) latencyMs!: number;
  @Field({ description: 'DELIVERED, RETRY (transient failure, tried again later) or FAILED (not retried).' })
  outcome!: string;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: 'The start of the response body (at most 1 KB).' })
  responseExcerpt!: string | null;
}

@ObjectType('WebhookDelivery', { description: 'One event on its way to one endpoint.' })
export class WebhookDelivery {
  @Field(() => ID) id!: string;
  @Field(() => ID) endpointId!: string;
  @Field(() => ID, { description: 'The event id (Tally-Event-Id), the same on every retry and resend.' })
  eventId!: string;
  @Field() eventType!: string;
  @Field(() => ID) objectId!: string;
  @Field(() => WebhookDeliveryStatusEnum) status!: WebhookDeliveryStatusEnum;
  @Field(() => Int) attemptCount!: number;
  @Field(() => Date, { description: 'When a PENDING delivery is tried next.' }) nextAttemptAt!: Date;
  @Field(() => Int, { nullable: true }) lastStatusCode!: number | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => [WebhookDeliveryAttempt], { description: 'Every attempt, oldest first.' })
  attempts!: WebhookDeliveryAttempt[];
}

export const WebhookDeliveryConnection = Connection(WebhookDelivery, 'WebhookDelivery');
