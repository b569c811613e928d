import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { Decimal } from '../domain/money';
import { livePubSubPlaceholder } from './live/live-pubsub';
import { PortalGuard } from './portal/portal-guard';
import { RESOLVERS } from './resolvers';
import { DateTimeScalar, DecimalScalar } from './scalars';
import { WellFormedArgs } from './well-formed-args';

/** Builds the executable schema from the code-first resolvers; `schema.graphql` is emitted from this. */
export async function buildTallySchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    scalarsMap: [
      { type: Date, scalar: DateTimeScalar },
      { type: Decimal, scalar: DecimalScalar },
    ],
    validate: { forbidUnknownValues: false },
    globalMiddlewares: [WellFormedArgs, PortalGuard],
    // Subscriptions bring their own iterators (src/graphql/live); type-graphql still wants a pubSub option.
    pubSub: livePubSubPlaceholder,
    emitSchemaFile: false,
  });
}
