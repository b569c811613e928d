import { expireIdGaps, findIdGaps, removeFoundIds, type IdGap } from './usage-rollup';

/**
 * Where the aggregator's live stream stands: every event id up to `lastEventId` has been rolled up,
 * except the ids in `gaps` (allocated but not yet committed when the stream passed them).
 */
export interface LiveProgress {
  lastEventId: number;
  gaps: IdGap[];
}

/** What one live run read: the ids found inside known gaps, and the new events past the watermark. */
export interface LiveRead {
  gapIds: readonly number[];
  /** Ascending. */
  eventIds: readonly number[];
  /** False when the gap read hit its limit: an unread event in a gap must still be counted later. */
  gapsFullyRead: boolean;
}

/**
 * The progress after a live run: the watermark moves to the last event read; gap ids that turned up leave
 * the gap list, gaps older than the horizon are dropped (only when every gap event was read), and the ids
 * skipped between the old watermark and the new events become gaps first seen now.
 */
export function advanceLiveProgress(
  progress: LiveProgress,
  read: LiveRead,
  nowMs: number,
  gapHorizonMs: number,
): LiveProgress {
  const { lastEventId } = progress;
  let gaps = removeFoundIds(progress.gaps, read.gapIds);
  if (read.gapsFullyRead) gaps = expireIdGaps(gaps, nowMs, gapHorizonMs);
  gaps.push(...findIdGaps(lastEventId, read.eventIds, nowMs));
  const newLastId = read.eventIds.length ? read.eventIds[read.eventIds.length - 1] : lastEventId;
  return { lastEventId: newLastId, gaps };
}

/** The id ranges [first, last] the live stream has not rolled up yet: past the watermark, and the gaps. */
export function unaggregatedIdRanges(progress: LiveProgress): Array<[number, number]> {
  return [
    [progress.lastEventId + 1, Number.MAX_SAFE_INTEGER],
    ...progress.gaps.map(([first, last]) => [first, last] as [number, number]),
  ];
}
