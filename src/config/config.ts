import { availableParallelism } from 'node:os';

/**
 * Configuration is read and validated here, once, at start. Every other module receives a typed
 * `AppConfig`; nothing else reads `process.env`. A bad value throws a `ConfigError` naming the variable.
 */
export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  redisUrl: string | null;
  /** Prefix of the Redis pub/sub channel, so deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** graphql-ws keep-alive: ping every this many ms; a socket that does not pong in as long is dropped. */
  wsKeepAliveMs: number;
  /** A WebSocket whose unsent data exceeds this many bytes (a slow or stuck client) is closed. */
  wsMaxBufferedBytes: number;
  /** HMAC key for customer-portal tokens; rotating it invalidates every token issued before. */
  portalTokenSecret: string;
  /** 32-byte key (hex or base64) for secrets stored at rest, such as Salesforce credentials. */
  secretsEncryptionKey: string;
  /** Events older than this many days are rejected. */
  eventGraceDays: number;
  /** Invoices are finalized this many hours after their period ends. */
  invoiceFinalizeGraceHours: number;
  /** Run the background workers (aggregator, finalizer, expiry, outbox) in this process. */
  workersEnabled: boolean;
  /** How often the aggregator looks for new events when idle. */
  aggregatorIntervalMs: number;
  /** GraphQL document limits (see README "Limits"): bytes, tokens and aliases of the text, depth and cost. */
  queryMaxBytes: number;
  queryMaxTokens: number;
  queryMaxAliases: number;
  queryMaxDepth: number;
  queryMaxCost: number;
  /**
   * Development only: let Salesforce URLs point anywhere over https, or at loopback over plain http
   * (local fakes). Off in production, where only https to public addresses is called.
   */
  salesforceAllowPrivateUrls: boolean;
  /**
   * Webhook endpoint URLs: production calls only https to public addresses; this development setting also
   * allows any https host and plain http to loopback (local receivers, tests).
   */
  webhooksAllowPrivateUrls: boolean;
  /** A webhook POST not answered within this many ms counts as a timeout (retried). */
  webhookTimeoutMs: number;
  /** Retry backoff: the first retry waits about this long, doubling up to `webhookRetryMaxMs` (with jitter). */
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  /** A delivery still failing this long after its event was recorded is dead-lettered. */
  webhookRetryWindowMs: number;
  /** HTTP requests in flight at once per endpoint (a slow receiver uses only its own slots). */
  webhookConcurrencyPerEndpoint: number;
  /** Schema introspection; off by default in production. */
  graphqlIntrospection: boolean;
  /** Production error messages leave out "Did you mean …" hints, which would disclose the schema. */
  production: boolean;
  /** On SIGTERM/SIGINT, the process exits after this long even if draining has not finished. */
  shutdownTimeoutMs: number;
  /** Bearer token for `GET /metrics` (Prometheus), separate from API keys; null = no /metrics (404). */
  metricsToken: string | null;
  /** Rows per database read of the CSV exports (memory per export is about one page). */
  exportPageSize: number;
  /**
   * Server processes sharing the port (`TALLY_PROCESSES`): the number of cores when Redis is configured,
   * else 1, since live updates reach subscribers of other processes only through Redis.
   */
  processes: number;
  /** This process's index among them (set by the supervisor for the processes it forks; 0 otherwise). */
  processIndex: number;
  /** Contract Extraction reads scanned pages and photos with offline OCR (tesseract.js); off = they fail. */
  ocrEnabled: boolean;
  /** Sandboxes an organization may have at once; creating one more is refused. */
  sandboxQuota: number;
  /** Stripe: the secret API key (null = Stripe off), its API URL, and the webhook endpoint's signing secret. */
  stripeSecretKey: string | null;
  stripeApiUrl: string;
  stripeWebhookSecret: string | null;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid configuration: ${variable} ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const DEV_SECRET = 'tally-dev-secret-change-me-in-production';

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max)
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function readUrl(env: Env, name: string, fallback: string | null, protocols: string[]): string | null {
  const raw = env[name] || fallback;
  if (raw === null) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  return raw;
}

function readSecret(env: Env, name: string, production: boolean): string {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (production) throw new ConfigError(name, 'is required when NODE_ENV=production');
    return `${DEV_SECRET}:${name}`;
  }
  if (raw.length < 32) throw new ConfigError(name, 'must be at least 32 characters');
  return raw;
}

/** An optional bearer token: absent means the feature is off; present, it must be long enough to guess hard. */
function readOptionalToken(env: Env, name: string): string | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  if (raw.length < 16) throw new ConfigError(name, 'must be at least 16 characters');
  if (!/^[\x21-\x7e]+$/.test(raw)) throw new ConfigError(name, 'must be printable ASCII without spaces');
  return raw;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const logLevel = (env.LOG_LEVEL || 'info') as AppConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const redisUrl = readUrl(env, 'REDIS_URL', null, ['redis:', 'rediss:']);
  return {
    port: readInt(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: readUrl(env, 'DATABASE_URL', 'mysql://root@127.0.0.1:3306/tally', ['mysql:', 'mariadb:'])!,
    logLevel,
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || 'tally:',
    wsKeepAliveMs: readInt(env, 'WS_KEEPALIVE_MS', 12_000, 100, 600_000),
    wsMaxBufferedBytes: readInt(env, 'WS_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 64 * 1024, 1024 * 1024 * 1024),
    portalTokenSecret: readSecret(env, 'PORTAL_TOKEN_SECRET', production),
    secretsEncryptionKey: readSecret(env, 'SECRETS_ENCRYPTION_KEY', production),
    eventGraceDays: readInt(env, 'EVENT_GRACE_DAYS', 35, 0, 3650),
    invoiceFinalizeGraceHours: readInt(env, 'INVOICE_FINALIZE_GRACE_HOURS', 24, 0, 24 * 365),
    workersEnabled: readBool(env, 'WORKERS_ENABLED', true),
    aggregatorIntervalMs: readInt(env, 'AGGREGATOR_INTERVAL_MS', 200, 10, 60_000),
    queryMaxBytes: readInt(env, 'QUERY_MAX_BYTES', 64 * 1024, 1024, 5 * 1024 * 1024),
    queryMaxTokens: readInt(env, 'QUERY_MAX_TOKENS', 10_000, 100, 1_000_000),
    queryMaxAliases: readInt(env, 'QUERY_MAX_ALIASES', 100, 0, 100_000),
    queryMaxDepth: readInt(env, 'QUERY_MAX_DEPTH', 12, 2, 100),
    queryMaxCost: readInt(env, 'QUERY_MAX_COST', 20_000, 10, 10_000_000),
    salesforceAllowPrivateUrls: readBool(env, 'SALESFORCE_ALLOW_PRIVATE_URLS', !production),
    webhooksAllowPrivateUrls: readBool(env, 'WEBHOOKS_ALLOW_PRIVATE_URLS', !production),
    webhookTimeoutMs: readInt(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    webhookRetryBaseMs: readInt(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 1, 3_600_000),
    webhookRetryMaxMs: readInt(env, 'WEBHOOK_RETRY_MAX_MS', 6 * 3_600_000, 1, 24 * 3_600_000),
    webhookRetryWindowMs: readInt(env, 'WEBHOOK_RETRY_WINDOW_MS', 3 * 24 * 3_600_000, 1, 30 * 24 * 3_600_000),
    webhookConcurrencyPerEndpoint: readInt(env, 'WEBHOOK_CONCURRENCY_PER_ENDPOINT', 4, 1, 100),
    graphqlIntrospection: readBool(env, 'GRAPHQL_INTROSPECTION', !production),
    production,
    shutdownTimeoutMs: readInt(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 100, 600_000),
    metricsToken: readOptionalToken(env, 'METRICS_TOKEN'),
    exportPageSize: readInt(env, 'EXPORT_PAGE_SIZE', 500, 1, 10_000),
    processes: readProcesses(env, redisUrl),
    processIndex: readInt(env, 'TALLY_PROCESS_INDEX', 0, 0, 63),
    ocrEnabled: readBool(env, 'OCR_ENABLED', true),
    sandboxQuota: readInt(env, 'SANDBOX_QUOTA', 10, 0, 1000),
    stripeSecretKey: readOptionalToken(env, 'STRIPE_SECRET_KEY'),
    // Plain http only outside production (a local fake of the API).
    stripeApiUrl: readUrl(
      env,
      'STRIPE_API_URL',
      'https://api.stripe.com',
      production ? ['https:'] : ['https:', 'http:'],
    )!,
    stripeWebhookSecret: readOptionalToken(env, 'STRIPE_WEBHOOK_SECRET'),
  };
}

/** `TALLY_PROCESSES`: several processes need Redis, through which live updates reach every subscriber. */
function readProcesses(env: Env, redisUrl: string | null): number {
  const processes = readInt(env, 'TALLY_PROCESSES', redisUrl ? availableParallelism() : 1, 1, 64);
  if (processes > 1 && !redisUrl) {
    throw new ConfigError(
      'TALLY_PROCESSES',
      `is ${processes}, but several processes need REDIS_URL (live updates fan out through Redis)`,
    );
  }
  return processes;
}
