import type { NonEmptyArray } from 'type-graphql';
import { ApiKeyResolver } from './api-key/api-key.resolver';

/** Every resolver class in the schema. Add new ones here (one line each). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const RESOLVERS: NonEmptyArray<Function> = [ApiKeyResolver];
