import {
  createSourceEventStream,
  execute,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { GraphQLContext } from '../context';

/** The query text of each document graphql-ws parsed for us (recorded in onSubscribe). */
const queryTexts = new WeakMap<DocumentNode, string>();

export function rememberQueryText(document: DocumentNode, query: string): void {
  queryTexts.set(document, query);
}

/**
 * Results already computed for one event payload, by "who asks what". A feed hands the same payload
 * object to all its subscribers, so identical subscriptions (same document, variables and caller scope)
 * execute once per change instead of once per subscriber; entries go with the payload (WeakMap).
 */
const sharedResults = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/** Callers that see the same data: one environment, and for portal tokens one customer. */
function scopeOf(context: GraphQLContext): string {
  const { ctx } = context;
  return `${ctx.environmentId}\u0000${ctx.portalCustomerId ?? '*'}`;
}

/**
 * graphql-js's `subscribe`, except that executing an event is shared between identical subscriptions.
 * Results are not mutated downstream (graphql-ws only serialises them, or formats errors into a copy).
 */
export async function sharedSubscribe(
  args: ExecutionArgs,
): Promise<AsyncGenerator<ExecutionResult, void, void> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const text = queryTexts.get(args.document);
  const key =
    text === undefined
      ? null
      : [
          text,
          args.operationName ?? '',
          JSON.stringify(args.variableValues ?? {}),
          scopeOf(args.contextValue as GraphQLContext),
        ].join('\u0000');

  const run = (payload: unknown): Promise<ExecutionResult> => {
    const executeOnce = async () => execute({ ...args, rootValue: payload });
    if (key === null || payload === null || typeof payload !== 'object') return executeOnce();
    let byKey = sharedResults.get(payload);
    if (!byKey) sharedResults.set(payload, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) {
      result = executeOnce();
      byKey.set(key, result);
    }
    return result;
  };

  // Typed by cast: whether AsyncGenerator includes Symbol.asyncDispose depends on the TS lib in use.
  const mapped = {
    async next() {
      const step = await source.next();
      if (step.done) return { value: undefined, done: true };
      return { value: await run(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
    async [Symbol.asyncDispose]() {
      await source.return?.();
    },
  } as unknown as AsyncGenerator<ExecutionResult, void, void>;
  return mapped;
}
