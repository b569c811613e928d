/**
 * Usage: event ingestion (validated, idempotent, durable), incremental aggregation into hourly usage, and usage queries and the events explorer.
 * Other folders import this feature only through this file.
 */
export { ALL_PERIODS_OPEN, EventIngestionService } from './event-ingestion.service';
export type { ClosedPeriodGuard, EventOutcome } from './event-ingestion.service';
export { UsageQueryService } from './usage-query.service';
export type { UsageEventRecord } from './usage-query.service';
export { fromSqlDateTime, placeholders, rowPlaceholders, runQuery, sqlDateTime } from './usage-sql';
export type { WriteResult } from './usage-sql';
