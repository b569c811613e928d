import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from a fast REST answer (1 ms) to a slow report (10 s). */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Operation names come from clients: beyond this many distinct ones, the rest share the label "other". */
export const MAX_OPERATION_NAMES = 200;
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The process's Prometheus metrics, in a registry of its own (tests run several apps in one process, so the
 * global default registry is not used). Event-driven metrics are counted as things happen; the gauges that
 * describe the database (queues, lag) are read when Prometheus scrapes, through `onScrape`.
 */
export class AppMetrics {
  readonly registry = new Registry();
  private readonly operationNames = new Set<string>();

  readonly httpDuration = new Histogram({
    name: 'tally_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'tally_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name and type, and whether it answered with errors.',
    labelNames: ['operation', 'type', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly events = new Counter({
    name: 'tally_usage_events_total',
    help: 'Usage events answered by the events API, by outcome (accepted, duplicate, rejected).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly finalizations = new Counter({
    name: 'tally_invoice_finalizations_total',
    help: 'Invoice finalization attempts by outcome (FINALIZED, ALREADY_FINAL, NOT_DUE, LOCKED, USAGE_PENDING, FAILED).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly aggregationLag = new Gauge({
    name: 'tally_aggregation_lag_seconds',
    help: 'Age of the oldest stored usage event not yet rolled up into usage aggregates (0 when caught up).',
    registers: [this.registry],
  });

  readonly aggregationEventsBehind = new Gauge({
    name: 'tally_aggregation_events_behind',
    help: 'Usage events stored past the aggregator watermark (upper bound).',
    registers: [this.registry],
  });

  readonly outboxDepth = new Gauge({
    name: 'tally_crm_outbox_pending',
    help: 'Changes waiting in the CRM outbox to be pushed to Salesforce.',
    registers: [this.registry],
  });

  readonly outboxAge = new Gauge({
    name: 'tally_crm_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest change waiting in the CRM outbox (0 when empty).',
    registers: [this.registry],
  });

  readonly deadLetters = new Gauge({
    name: 'tally_crm_outbox_dead_letters',
    help: 'CRM outbox changes given up on after their retries.',
    registers: [this.registry],
  });

  readonly webSockets = new Gauge({
    name: 'tally_websocket_connections',
    help: 'Open GraphQL WebSocket connections (subscriptions) on this process.',
    registers: [this.registry],
  });

  readonly dbPool = new Gauge({
    name: 'tally_db_pool_connections',
    help: 'Database pool connections of this process by state (in_use, idle, limit) and requests waiting.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  private readonly scrapeHooks: Array<() => Promise<void>> = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tally_' });
  }

  /** Runs before each scrape (gauges read from the database or the process). */
  onScrape(hook: () => Promise<void>): void {
    this.scrapeHooks.push(hook);
  }

  /** The exposition text: refreshes the scrape-time gauges, then renders every metric. */
  async render(): Promise<string> {
    await Promise.all(this.scrapeHooks.map((hook) => hook()));
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** A bounded label for a client-chosen operation name. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(name);
    return name;
  }

  countEvents(result: { accepted: number; duplicates: number; rejected: number }): void {
    if (result.accepted) this.events.inc({ outcome: 'accepted' }, result.accepted);
    if (result.duplicates) this.events.inc({ outcome: 'duplicate' }, result.duplicates);
    if (result.rejected) this.events.inc({ outcome: 'rejected' }, result.rejected);
  }
}
