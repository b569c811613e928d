import { Field, InputType } from 'type-graphql';
import { JSONObjectScalar } from '../scalars';

@InputType('UsageEventInput', {
  description: 'One usage event; the same fields as POST /v1/events, camelCased.',
})
export class UsageEventInput {
  @Field({ description: 'Tally customer id or the customer’s externalId.' }) customerId!: string;
  @Field() eventName!: string;
  @Field({ description: 'Unique per customer: an event with a key already stored is a duplicate.' })
  idempotencyKey!: string;

  // A string (not DateTime) so that one malformed timestamp rejects its event, not the whole batch.
  @Field(() => String, {
    nullable: true,
    description: 'ISO 8601 with a zone; defaults to the time received.',
  })
  timestamp?: string | null;

  @Field(() => JSONObjectScalar, { nullable: true }) properties?: Record<string, unknown> | null;
}

@InputType('UsageEventsFilter')
export class UsageEventsFilter {
  @Field(() => String, { nullable: true, description: 'Tally customer id or externalId.' })
  customerId?: string | null;

  @Field(() => String, { nullable: true }) eventName?: string | null;
  @Field(() => Date, { nullable: true, description: 'Event timestamps from (inclusive).' })
  from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Event timestamps to (exclusive).' }) to?: Date | null;

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Property values the events must have, e.g. {"region": "US"}.',
  })
  dimensions?: Record<string, unknown> | null;
}
