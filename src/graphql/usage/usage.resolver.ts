import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { type GraphQLContext, requireApiKey } from '../context';
import { EVENTS_SCAN_LIMIT, type EventOutcome } from '../../services/usage';
import type { UsageEventFailureRecord, UsageEventRecord } from '../../services/usage';
import { eventsComplexity } from '../complexity';
import { decodeCursor, encodeCursor, pageComplexity, toConnection } from '../pagination';
import { UsageEventInput, UsageEventsFilter } from './usage.inputs';
import {
  EventResult,
  EventStatusEnum,
  IngestEventsResult,
  UsageEventConnection,
  UsageEventFailure,
  UsageEventFailureConnection,
  UsageQuantity,
} from './usage.types';

/** REST reports fields by their wire (snake_case) names; GraphQL by its own input names. */
const GRAPHQL_FIELD: Record<string, string> = {
  customer_id: 'customerId',
  event_name: 'eventName',
  idempotency_key: 'idempotencyKey',
};

function toResult(outcome: EventOutcome): EventResult {
  if (outcome.status !== 'rejected') {
    return {
      index: outcome.index,
      status: outcome.status === 'accepted' ? EventStatusEnum.ACCEPTED : EventStatusEnum.DUPLICATE,
      error: null,
    };
  }
  const { code, message, field } = outcome.error;
  return {
    index: outcome.index,
    status: EventStatusEnum.REJECTED,
    error: { code, message, field: GRAPHQL_FIELD[field] ?? field },
  };
}

@Resolver()
export class UsageResolver {
  @Mutation(() => IngestEventsResult, {
    description:
      'Stores usage events (at most 1,000), each answered by index: ACCEPTED, DUPLICATE or REJECTED. ' +
      'Accepted events are committed before the answer.',
  })
  async ingestEvents(
    @Arg('events', () => [UsageEventInput]) events: UsageEventInput[],
    @Ctx() context: GraphQLContext,
  ): Promise<IngestEventsResult> {
    requireApiKey(context);
    const result = await context.services.events.ingest(context.ctx, events);
    return { ...result, results: result.results.map(toResult) };
  }

  @Query(() => [UsageQuantity], {
    description:
      "A customer's aggregated usage of a meter over [from, to) (whole UTC hours), per combination of the " +
      'groupBy keys (default: all the meter’s group keys; [] for one total).',
  })
  async usage(
    @Arg('customerId', { description: 'Tally customer id or externalId.' }) customerId: string,
    @Arg('meterCode') meterCode: string,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() context: GraphQLContext,
    @Arg('groupBy', () => [String], { nullable: true }) groupBy?: string[] | null,
  ): Promise<UsageQuantity[]> {
    // Portal tokens may read their own customer's usage (the service scopes them); API keys any customer's.
    return context.services.usage.usage(context.ctx, { customerId, meterCode, from, to, groupBy });
  }

  @Query(() => UsageEventConnection, {
    complexity: eventsComplexity,
    description:
      'The events explorer: stored events, newest first (by timestamp), filtered. A dimensions filter (or ' +
      `an eventName without a customerId) reads at most ${EVENTS_SCAN_LIMIT} events per page: a page may then hold fewer ` +
      'than `first` events with hasNextPage true; continue from its endCursor.',
  })
  async events(
    @Ctx() context: GraphQLContext,
    @Arg('filter', () => UsageEventsFilter, { nullable: true }) filter?: UsageEventsFilter | null,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const page = await context.services.usage.listEvents(context.ctx, filter ?? {}, {
      first,
      afterId: after ? decodeCursor(after) : null,
    });
    const connection = toConnection<UsageEventRecord>(page);
    // A capped scan that stopped short continues after the last event it read, not after the last match.
    if (page.resumeAfterId) connection.pageInfo.endCursor = encodeCursor(page.resumeAfterId);
    return connection;
  }

  @Query(() => UsageEventFailureConnection, {
    complexity: pageComplexity,
    description:
      'Usage events the aggregator set aside because they could not be rolled up (newest first); their ' +
      'usage is missing from the aggregates until retried. Unresolved ones only unless includeResolved.',
  })
  async usageEventFailures(
    @Ctx() context: GraphQLContext,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('includeResolved', () => Boolean, { nullable: true }) includeResolved?: boolean | null,
  ) {
    requireApiKey(context);
    const page = await context.services.usageEventFailures.list(context.ctx, {
      first,
      afterId: after ? decodeCursor(after) : null,
      includeResolved,
    });
    return toConnection<UsageEventFailureRecord>(page);
  }

  @Mutation(() => [UsageEventFailure], {
    description:
      'Re-queues set-aside events (at most 500) once their cause is fixed: the aggregator rolls each up ' +
      'again, exactly once, and sets resolvedAt; one that fails again stays set aside with its new reason.',
  })
  async retryUsageEventFailures(
    @Arg('ids', () => [ID]) ids: string[],
    @Ctx() context: GraphQLContext,
  ): Promise<UsageEventFailureRecord[]> {
    requireApiKey(context);
    return context.services.usageEventFailures.retry(context.ctx, ids);
  }
}
