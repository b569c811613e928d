import 'reflect-metadata';
import { parse, validate } from 'graphql';
import * as queries from '../../src/console/src/api/queries';
import { buildTallySchema } from '../../src/graphql/schema';

/** The console uses only the public API: every document it sends must be valid against the schema. */
describe('console GraphQL documents', () => {
  it('all validate against the schema the server serves', async () => {
    const schema = await buildTallySchema();
    const documents = Object.entries(queries).filter(([, value]) => typeof value === 'string') as Array<
      [string, string]
    >;
    expect(documents.length).toBeGreaterThan(10);
    const problems = documents.flatMap(([name, text]) =>
      validate(schema, parse(text)).map((error) => `${name}: ${error.message}`),
    );
    expect(problems).toEqual([]);
  });

  it('names only root fields the schema has in FEATURES', async () => {
    const schema = await buildTallySchema();
    const missing = Object.values(queries.FEATURES)
      .flat()
      .filter((path) => {
        const [typeName, field] = path.split('.');
        const type = {
          Query: schema.getQueryType(),
          Mutation: schema.getMutationType(),
          Subscription: schema.getSubscriptionType(),
        }[typeName];
        return !type?.getFields()[field];
      });
    expect(missing).toEqual([]);
  });
});
