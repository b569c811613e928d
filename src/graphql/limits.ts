import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { queryCost } from './query-cost';

/** Limits on one GraphQL document, checked before any work that grows with the document's expansion. */
export interface QueryLimits {
  /** Bytes of query text (UTF-8). */
  maxBytes: number;
  /** Lexical tokens; the parser stops at this many, so an oversized document costs no more than this. */
  maxTokens: number;
  /** Aliased fields in the document's text (an alias lets one field be asked for many times over). */
  maxAliases: number;
  /** Levels of nested fields, fragments expanded. */
  maxDepth: number;
  /** Estimated cost (see query-cost.ts), fragments expanded. */
  maxCost: number;
}

function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

function countAliases(document: DocumentNode): number {
  let aliases = 0;
  const visit = (set: SelectionSetNode | undefined): void => {
    if (!set) return;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD && selection.alias) aliases++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  // Counted in the text, not the expansion: each fragment once, which is what the parser paid for.
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION)
      visit(def.selectionSet);
  }
  return aliases;
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

/**
 * Depth of every operation (or the named one), fragments expanded. Each fragment's depth is computed
 * once and reused, so the walk is linear in the document's text even when spreads double at every level.
 * A fragment that spreads itself (directly or not) is a FRAGMENT_CYCLE error.
 */
export function operationDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = fragmentsOf(document);
  const fragmentDepth = new Map<string, number>();
  const visiting = new Set<string>();

  const depthOfFragment = (name: string): number => {
    const known = fragmentDepth.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment) return 0;
    if (visiting.has(name)) throw limitError('FRAGMENT_CYCLE', `Fragment "${name}" spreads itself`);
    visiting.add(name);
    const depth = selectionDepth(fragment.selectionSet);
    visiting.delete(name);
    fragmentDepth.set(name, depth);
    return depth;
  };

  const selectionDepth = (set: SelectionSetNode | undefined): number => {
    if (!set) return 0;
    let max = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        max = Math.max(max, selection.selectionSet ? 1 + selectionDepth(selection.selectionSet) : 1);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, selectionDepth(selection.selectionSet));
      } else {
        max = Math.max(max, depthOfFragment(selection.name.value));
      }
    }
    return max;
  };

  // Every fragment is walked, used or not, so a cycle is refused even in a fragment no operation spreads.
  for (const name of fragments.keys()) depthOfFragment(name);
  let depth = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && def.name?.value !== operationName) continue;
    depth = Math.max(depth, selectionDepth(def.selectionSet));
  }
  return depth;
}

/**
 * Checks the query text against the limits that need no schema: size, tokens, aliases, fragment cycles,
 * depth — cheapest first, each before anything whose cost grows with the document. Returns the parsed
 * document; a syntax error is returned as the parser reports it.
 */
export function parseWithinLimits(
  source: string,
  operationName: string | null | undefined,
  limits: QueryLimits,
): DocumentNode {
  const bytes = Buffer.byteLength(source, 'utf8');
  if (bytes > limits.maxBytes) {
    throw limitError('QUERY_TOO_LARGE', `Query is ${bytes} bytes; the limit is ${limits.maxBytes}`);
  }
  let document: DocumentNode;
  try {
    document = parse(source, { maxTokens: limits.maxTokens });
  } catch (error) {
    // graphql-js words it "more that N tokens"; matched loosely in case the typo is fixed.
    if (error instanceof GraphQLError && /Document contains more th\w+ \d+ tokens/.test(error.message)) {
      throw limitError('QUERY_TOO_MANY_TOKENS', `Query has more than ${limits.maxTokens} tokens`);
    }
    throw error;
  }
  const aliases = countAliases(document);
  if (aliases > limits.maxAliases) {
    throw limitError(
      'QUERY_TOO_MANY_ALIASES',
      `Query has ${aliases} aliases; the limit is ${limits.maxAliases}`,
    );
  }
  const depth = operationDepth(document, operationName);
  if (depth > limits.maxDepth) {
    throw limitError(
      'QUERY_TOO_DEEP',
      `Query is nested ${depth} levels deep; the limit is ${limits.maxDepth}`,
    );
  }
  return document;
}

/**
 * The cost check, on a validated document (variables are coerced against the schema). Returns an error
 * or null.
 */
export function checkCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  maxCost: number,
): GraphQLError | null {
  let cost: number;
  try {
    cost = queryCost(schema, document, operationName, variables);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // Variables are coerced here before execution does: a bad variable is the caller's input error.
    return new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
  }
  if (cost > maxCost)
    return limitError('QUERY_TOO_COMPLEX', `Query cost ${cost} exceeds the limit of ${maxCost}`);
  return null;
}

/**
 * Apollo's side of the limits: the text limits (see parseWithinLimits) run again here, on the document
 * Apollo parsed, for requests that reach Apollo without the server's pre-check; then the cost check.
 */
export function queryLimitsPlugin(schema: () => GraphQLSchema, limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          const depth = operationDepth(document, operationName);
          if (depth > limits.maxDepth) {
            throw limitError(
              'QUERY_TOO_DEEP',
              `Query is nested ${depth} levels deep; the limit is ${limits.maxDepth}`,
            );
          }
          const error = checkCost(schema(), document, operationName, request.variables ?? {}, limits.maxCost);
          if (error) throw error;
        },
      };
    },
  };
}
