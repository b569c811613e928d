import type { PubSub } from 'type-graphql';

/**
 * type-graphql refuses to build a schema with subscriptions unless `pubSub` is given, even when every
 * `@Subscription` has its own `subscribe` function (ours do: they join LiveInvoiceService's shared feeds,
 * which listen to the application's PubSub, Redis-backed when configured). This placeholder is never used.
 */
export const livePubSubPlaceholder: PubSub = {
  publish() {
    throw new Error('Publish through services.pubsub, not type-graphql’s pubSub');
  },
  subscribe() {
    throw new Error('Every @Subscription must have its own subscribe function (see src/graphql/live)');
  },
};
