import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildTallySchema } from './schema';

/** The schema as committed in schema.graphql: sorted, so the file changes only when the API does. */
export async function renderSchema(): Promise<string> {
  const schema = await buildTallySchema();
  return `# Generated from the code by \`npm run schema:emit\`. Do not edit by hand.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}
