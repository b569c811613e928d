import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Decimal } from '../../domain/money';
import { Connection } from '../pagination';
import { DecimalScalar, JSONObjectScalar } from '../scalars';

export enum EventStatusEnum {
  ACCEPTED = 'ACCEPTED',
  DUPLICATE = 'DUPLICATE',
  REJECTED = 'REJECTED',
}
registerEnumType(EventStatusEnum, {
  name: 'EventStatus',
  description: 'What happened to one submitted event.',
  valuesConfig: {
    ACCEPTED: { description: 'Stored (committed) and will be aggregated.' },
    DUPLICATE: {
      description: 'An event with the same idempotency key was already stored; the first one wins.',
    },
    REJECTED: { description: 'Not stored; `error` says why.' },
  },
});

@ObjectType('EventRejection')
export class EventRejection {
  @Field({ description: 'e.g. UNKNOWN_CUSTOMER, MISSING_AGGREGATION_PROPERTY, TIMESTAMP_TOO_OLD' })
  code!: string;
  @Field() message!: string;
  @Field({ description: 'The offending input field, e.g. customerId or properties.tokens.' }) field!: string;
}

@ObjectType('EventResult')
export class EventResult {
  @Field(() => Int, { description: 'Position of the event in the submitted list.' }) index!: number;
  @Field(() => EventStatusEnum) status!: EventStatusEnum;
  @Field(() => EventRejection, { nullable: true }) error!: EventRejection | null;
}

@ObjectType('IngestEventsResult')
export class IngestEventsResult {
  @Field(() => Int) accepted!: number;
  @Field(() => Int) duplicates!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => [EventResult]) results!: EventResult[];
}

@ObjectType('UsageQuantity', { description: 'Aggregated usage of one dimension combination over a period.' })
export class UsageQuantity {
  @Field(() => JSONObjectScalar, { description: 'Values of the grouped keys; a missing property is "none".' })
  dimensions!: Record<string, string>;
  @Field(() => DecimalScalar) quantity!: Decimal;
  @Field(() => Int, { description: 'Events aggregated into this quantity.' }) eventCount!: number;
}

@ObjectType('UsageEvent', { description: 'A stored usage event, as sent.' })
export class UsageEvent {
  @Field(() => ID) id!: string;
  @Field() customerId!: string;
  @Field() eventName!: string;
  @Field() idempotencyKey!: string;
  @Field(() => Date, { description: 'When the usage happened (the event timestamp).' }) timestamp!: Date;
  @Field(() => Date) receivedAt!: Date;
  @Field(() => JSONObjectScalar) properties!: Record<string, unknown>;
}

export const UsageEventConnection = Connection(UsageEvent, 'UsageEvent');

@ObjectType('UsageEventFailure', {
  description:
    'A stored usage event the aggregator could not roll up and set aside (the rest of the usage went on). ' +
    'Fix its cause, then retryUsageEventFailures.',
})
export class UsageEventFailure {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The stored event (UsageEvent.id).' }) eventId!: string;
  @Field(() => String, { nullable: true, description: 'Null when the event is gone.' })
  customerId!: string | null;
  @Field(() => String, { nullable: true }) eventName!: string | null;
  @Field(() => Date, { nullable: true, description: 'The event timestamp.' }) timestamp!: Date | null;
  @Field({ description: 'e.g. DATA_TOO_LONG, WARN_DATA_OUT_OF_RANGE, UNREADABLE_EVENT' }) code!: string;
  @Field({ description: 'Why rolling it up failed, e.g. "Data too long for column \'dimension_key\'".' })
  reason!: string;
  @Field(() => Int, { description: 'Times rolling it up failed.' }) attempts!: number;
  @Field(() => Date, { description: 'When it last failed.' }) failedAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Set while a retry is queued.' })
  retryRequestedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'When a retry rolled it up (counted once).' })
  resolvedAt!: Date | null;
}

export const UsageEventFailureConnection = Connection(UsageEventFailure, 'UsageEventFailure');
