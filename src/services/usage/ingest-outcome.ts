import type { EventRejection } from '../../domain/usage-event';

/** What became of one submitted event. */
export type EventOutcome =
  | { index: number; status: 'accepted' }
  | { index: number; status: 'duplicate' }
  | { index: number; status: 'rejected'; error: EventRejection };

/** The answer to one ingestion call. */
export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: number;
  /** One entry per submitted event, in submission order. */
  results: EventOutcome[];
}
