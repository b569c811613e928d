import 'reflect-metadata';
import { App } from '../../src/app';
import { loadConfig, type AppConfig } from '../../src/config/config';
import { RequestContext } from '../../src/context';
import { createLogger } from '../../src/logger';
import { TestClock } from './clock';
import { dropDatabase, testDatabaseName, testDatabaseUrl } from './database';

export interface GraphQLResult<T = Record<string, unknown>> {
  status: number;
  data: T | null;
  errors?: Array<{
    message: string;
    path?: string[];
    extensions?: { code?: string; field?: string } & Record<string, unknown>;
  }>;
}

export interface RestResult<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A real Tally server on a random port, over a database of its own, as a client sees it.
 * Workers do not run on their own: tests drive them (`app.workers`) so results are deterministic.
 */
export class TestApp {
  private constructor(
    readonly app: App,
    readonly clock: TestClock,
    readonly databaseName: string,
    /** The API key of the organization created at start (live environment). */
    readonly apiKey: string,
    readonly environmentId: string,
    readonly organizationId: string,
  ) {}

  static async start(
    options: { config?: Partial<AppConfig>; databaseSuffix?: string; keepDatabase?: boolean } = {},
  ) {
    const testPath = expect.getState().testPath ?? 'unknown';
    const databaseName = testDatabaseName(testPath, options.databaseSuffix);
    if (!options.keepDatabase) await dropDatabase(databaseName);
    const config: AppConfig = {
      ...loadConfig({}),
      databaseUrl: testDatabaseUrl(databaseName),
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      workersEnabled: false,
      ...options.config,
    };
    const clock = new TestClock();
    const app = await App.start(config, {
      clock,
      log: createLogger(process.env.TEST_LOG_LEVEL === 'debug' ? 'debug' : 'silent'),
    });
    const org = await app.services.organizations.bootstrap(TestApp.systemContext(app, clock), 'Test Org');
    return new TestApp(app, clock, databaseName, org.apiKey, org.environment.id, org.organization.id);
  }

  static systemContext(app: App, clock: TestClock, environmentId = '', organizationId = ''): RequestContext {
    return new RequestContext(
      app.db,
      environmentId,
      organizationId,
      { kind: 'SYSTEM', name: 'test' },
      clock,
      app.log,
      'test',
    );
  }

  /** A system context in this app's live environment, for driving services directly in setup code. */
  get system(): RequestContext {
    return TestApp.systemContext(this.app, this.clock, this.environmentId, this.organizationId);
  }

  get url(): string {
    return this.app.url;
  }

  /** Creates another organization (with its own live environment and key), for isolation tests. */
  async newOrganization(name = 'Other Org') {
    return this.app.services.organizations.bootstrap(TestApp.systemContext(this.app, this.clock), name);
  }

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token: string | null = this.apiKey,
  ): Promise<GraphQLResult<T>> {
    const response = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
    return { status: response.status, data: body.data ?? null, errors: body.errors };
  }

  /** Runs a GraphQL operation that must succeed and returns its data. */
  async gqlOk<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string | null,
  ): Promise<T> {
    const result = await this.gql<T>(query, variables, token === undefined ? this.apiKey : token);
    if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors, null, 2)}`);
    return result.data as T;
  }

  async rest<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = this.apiKey,
    rawBody?: string,
  ): Promise<RestResult<T>> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** Counts SQL statements the server runs while `work` executes. */
  async countQueries(work: () => Promise<unknown>): Promise<number> {
    // Every statement TypeORM runs passes through the logger's logQuery, whatever the logging option.
    const logger = this.app.db.logger as unknown as { logQuery: (...args: unknown[]) => void };
    const original = logger.logQuery;
    let count = 0;
    logger.logQuery = (...args: unknown[]) => {
      count++;
      original.apply(logger, args);
    };
    try {
      await work();
    } finally {
      logger.logQuery = original;
    }
    return count;
  }

  async stop(options: { keepDatabase?: boolean } = {}): Promise<void> {
    await this.app.stop();
    if (!options.keepDatabase) await dropDatabase(this.databaseName);
  }
}
