import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSchema } from '../../src/graphql/render-schema';

describe('schema.graphql', () => {
  it('matches what the code emits (run `npm run schema:emit` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8');
    expect(committed).toEqual(await renderSchema());
  });
});
