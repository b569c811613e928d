/**
 * Usage: event ingestion (validated, idempotent, durable), incremental aggregation into hourly usage, and usage queries and the events explorer.
 * Other folders import this feature only through this file.
 */
export { aggregationLag } from './aggregation-lag';
export type { AggregationLag } from './aggregation-lag';
export { EventIngestionService } from './event-ingestion.service';
export type { ClosedPeriodGuard } from './event-ingestion.service';
export type { EventOutcome, IngestResult } from './ingest-outcome';
export { RawSql } from './raw-pool';
export { UsageAggregationService } from './usage-aggregation.service';
export type {
  AffectedCustomer,
  AggregationRun,
  AggregationStage,
  UsageAggregationOptions,
  UsageScope,
} from './usage-aggregation.service';
export { UsageEventFailureService } from './usage-event-failure.service';
export type { UsageEventFailurePageArgs, UsageEventFailureRecord } from './usage-event-failure.service';
export { UsageQueryService } from './usage-query.service';
export type { EventsPage, UsageEventRecord } from './usage-query.service';
export { EVENTS_SCAN_LIMIT } from './event-scan-window';
export { fromSqlDateTime, placeholders, rowPlaceholders, runQuery, sqlDateTime } from './usage-sql';
export type { WriteResult } from './usage-sql';
