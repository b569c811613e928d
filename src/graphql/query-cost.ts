import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getVariableValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, simpleEstimator } from 'graphql-query-complexity';

const estimators = [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })];

/**
 * The estimated cost of an operation: each field costs 1 unless its `complexity` hint says otherwise
 * (list fields multiply their children by `first`, see pagination.ts and complexity.ts). The estimators
 * are graphql-query-complexity's; the walk is ours because that library expands every fragment spread
 * again, which is exponential in the depth of doubled spreads. Here each fragment's cost is computed once
 * (a fragment's cost depends only on its own selections and the request's variables), so the walk is linear
 * in the document's text. Throws a GraphQLError for variables that do not coerce.
 */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  let total = 0;
  for (const operation of document.definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName && operation.name?.value !== operationName) continue;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) throw coerced.errors[0];
    const walker = new CostWalker(schema, fragments, coerced.coerced);
    const root =
      operation.operation === 'query'
        ? schema.getQueryType()
        : operation.operation === 'mutation'
          ? schema.getMutationType()
          : schema.getSubscriptionType();
    if (root) total += walker.selectionSetCost(operation.selectionSet, root);
  }
  return total;
}

class CostWalker {
  private readonly fragmentCost = new Map<string, number>();
  private readonly active = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  private skipped(node: SelectionNode): boolean {
    if (!node.directives?.length) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, this.variables);
    const skip = getDirectiveValues(GraphQLSkipDirective, node, this.variables);
    return include?.if === false || skip?.if === true;
  }

  private typesOf(type: GraphQLCompositeType): string[] {
    return isAbstractType(type) ? this.schema.getPossibleTypes(type).map((t) => t.name) : [type.name];
  }

  private costOfFragment(name: string): number | null {
    const known = this.fragmentCost.get(name);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    // Unknown fragments and cycles are validation errors, reported elsewhere.
    if (!fragment || this.active.has(name)) return null;
    const type = this.schema.getType(fragment.typeCondition.name.value);
    if (!type || !isCompositeType(type)) return null;
    this.active.add(name);
    const cost = this.selectionSetCost(fragment.selectionSet, type);
    this.active.delete(name);
    this.fragmentCost.set(name, cost);
    return cost;
  }

  /** The most expensive of the possible concrete types' costs, as graphql-query-complexity counts it. */
  selectionSetCost(set: SelectionSetNode, type: GraphQLCompositeType): number {
    const fields = isObjectType(type) || isInterfaceType(type) ? type.getFields() : {};
    const possible = this.typesOf(type);
    const perType = new Map<string, number>();
    const add = (cost: number, types: string[]) => {
      for (const name of types) perType.set(name, (perType.get(name) ?? 0) + cost);
    };
    for (const node of set.selections) {
      if (this.skipped(node)) continue;
      if (node.kind === Kind.FIELD) {
        const field = this.fieldDef(node.name.value, fields);
        if (!field) continue;
        const args = getArgumentValues(field, node, this.variables);
        const fieldType = getNamedType(field.type);
        const childComplexity =
          node.selectionSet && isCompositeType(fieldType)
            ? this.selectionSetCost(node.selectionSet, fieldType)
            : 0;
        const estimate = { childComplexity, args, field, node, type };
        for (const estimator of estimators) {
          const cost = estimator(estimate);
          if (typeof cost === 'number' && !Number.isNaN(cost)) {
            add(cost, possible);
            break;
          }
        }
      } else if (node.kind === Kind.FRAGMENT_SPREAD) {
        const cost = this.costOfFragment(node.name.value);
        const fragment = this.fragments.get(node.name.value);
        const fragmentType = fragment && this.schema.getType(fragment.typeCondition.name.value);
        if (cost === null || !fragmentType || !isCompositeType(fragmentType)) continue;
        add(cost, this.typesOf(fragmentType));
      } else {
        const inlineType = node.typeCondition ? this.schema.getType(node.typeCondition.name.value) : type;
        if (!inlineType || !isCompositeType(inlineType)) continue;
        add(this.selectionSetCost(node.selectionSet, inlineType), this.typesOf(inlineType));
      }
    }
    return Math.max(0, ...perType.values());
  }

  private fieldDef(
    name: string,
    fields: Record<string, GraphQLField<unknown, unknown>>,
  ): GraphQLField<unknown, unknown> | undefined {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
    return fields[name];
  }
}
