import { ClassType, Field, ObjectType } from 'type-graphql';
import { badInput } from '../domain/errors';
import type { Page } from '../services/common';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

/** Relay-style connection type for `T`: `{ edges { cursor node } nodes pageInfo totalCount? }`. */
export function Connection<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => [node]) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
  }
  return ConnectionType;
}

export function encodeCursor(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): string {
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!value || encodeCursor(value) !== cursor) throw badInput(field, 'is not a cursor returned by this API');
  return value;
}

/** Maps a page of nodes to the connection shape; a node's cursor is its id unless `cursorOf` says otherwise. */
export function toConnection<T extends { id: string }>(
  page: Page<T>,
  cursorOf: (node: T) => string = (n) => n.id,
) {
  const edges = page.nodes.map((node) => ({ cursor: encodeCursor(cursorOf(node)), node }));
  return {
    edges,
    nodes: page.nodes,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}

/** Query-cost hint for paginated fields: the children cost once per requested row. */
export const pageComplexity = ({
  args,
  childComplexity,
}: {
  args: { first?: number };
  childComplexity: number;
}) => 1 + (args.first ?? 50) * childComplexity;
