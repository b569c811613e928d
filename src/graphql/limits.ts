import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';

function selectionDepth(
  set: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let max = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      max = Math.max(
        max,
        selection.selectionSet ? 1 + selectionDepth(selection.selectionSet, fragments, seen) : 1,
      );
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, selectionDepth(selection.selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      max = Math.max(max, selectionDepth(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return max;
}

export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let depth = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && def.name?.value !== operationName) continue;
    depth = Math.max(depth, selectionDepth(def.selectionSet, fragments, new Set()));
  }
  return depth;
}

/**
 * Rejects operations nested deeper than `maxDepth` or costing more than `maxCost`
 * (each field costs 1; list fields multiply their children by `first`, see @Complexity hints).
 */
export function queryLimitsPlugin(
  schema: () => GraphQLSchema,
  maxDepth: number,
  maxCost: number,
): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          const depth = operationDepth(document, operationName);
          if (depth > maxDepth) {
            throw new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${maxDepth}`, {
              extensions: { code: 'QUERY_TOO_DEEP', http: { status: 400 } },
            });
          }
          let cost: number;
          try {
            cost = getComplexity({
              schema: schema(),
              query: document,
              operationName: operationName ?? undefined,
              variables: request.variables ?? {},
              estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
            });
          } catch (error) {
            // getComplexity coerces the variables before Apollo does: a bad variable is the caller's input error.
            if (!(error instanceof GraphQLError)) throw error;
            throw new GraphQLError(error.message, {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
          if (cost > maxCost) {
            throw new GraphQLError(`Query cost ${cost} exceeds the limit of ${maxCost}`, {
              extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
