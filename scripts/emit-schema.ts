import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSchema } from '../src/graphql/render-schema';

/** Writes schema.graphql from the code-first resolvers (`npm run schema:emit`). */
async function main(): Promise<void> {
  const sdl = await renderSchema();
  writeFileSync(join(__dirname, '..', 'schema.graphql'), sdl);
  console.log('wrote schema.graphql');
}

void main();
