import { SalesforceError, classifyRowErrors } from './errors';
import type { SaveResult } from './client';
import {
  SOBJECTS,
  isReference,
  salesforceTypeOf,
  toSObjectRecord,
  type CrmFieldValue,
  type CrmSObject,
} from './objects';

/** sObject Collections accept at most 200 records per call. */
export const MAX_COLLECTION_SIZE = 200;

export interface PushRow {
  id: string;
  sobject: CrmSObject;
  externalId: string;
  /** Known Salesforce Id: the row is an update by Id (see CrmChange.salesforceId), not an upsert. */
  salesforceId?: string | null;
  fields: Record<string, CrmFieldValue>;
}

export type PushOutcome =
  | { id: string; status: 'DONE'; salesforceId: string | null }
  | { id: string; status: 'RETRY'; code: string; message: string }
  | { id: string; status: 'DEAD'; code: string; message: string }
  /** Not attempted: a parent is not in Salesforce yet, or the connection stopped; no attempt is counted. */
  | { id: string; status: 'DEFERRED'; reason: string };

export interface PushReport {
  outcomes: PushOutcome[];
  /** Set when the whole connection must stop (API limit, broken auth); the rest of the batch was deferred. */
  stoppedBy: SalesforceError | null;
}

/** The part of SalesforceClient pushing needs (tests may pass a fake). */
export interface CollectionWriter {
  write<T>(method: 'PATCH' | 'POST', path: string, body: unknown): Promise<T>;
}

function byId(row: PushRow): boolean {
  return Boolean(row.salesforceId) && SOBJECTS[row.sobject].externalIdField !== 'Id';
}

export function recordKey(sobject: string, externalId: string): string {
  return `${sobject}:${externalId}`;
}

function parentKeys(row: PushRow): string[] {
  return Object.values(row.fields)
    .filter(isReference)
    .map((ref) => recordKey(ref.ref, ref.externalId));
}

async function mapWithConcurrency<T>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Pushes claimed outbox rows: parents before children (Account → Contract → Order → OrderItem →
 * Opportunity), each object type upserted by its external id in calls of at most 200 records with
 * `allOrNone: false`, each result mapped back to its row by position and classified.
 * A child whose parent failed or is still pending is deferred rather than sent to fail.
 */
export async function pushRows(
  writer: CollectionWriter,
  rows: PushRow[],
  options: { concurrency?: number; pendingParents?: ReadonlySet<string> } = {},
): Promise<PushReport> {
  const outcomes = new Map<string, PushOutcome>();
  const notInSalesforce = new Set(options.pendingParents ?? []);
  // Held in an object: the chunks running concurrently set it, and TypeScript does not track closures.
  const state: { stoppedBy: SalesforceError | null } = { stoppedBy: null };
  const ranks = [...new Set(rows.map((r) => SOBJECTS[r.sobject].rank))].sort((a, b) => a - b);

  for (const rank of ranks) {
    const ready: PushRow[] = [];
    for (const row of rows.filter((r) => SOBJECTS[r.sobject].rank === rank)) {
      const waitingFor = parentKeys(row).find((key) => notInSalesforce.has(key));
      if (state.stoppedBy)
        outcomes.set(row.id, { id: row.id, status: 'DEFERRED', reason: state.stoppedBy.message });
      else if (waitingFor)
        outcomes.set(row.id, { id: row.id, status: 'DEFERRED', reason: `waiting for ${waitingFor}` });
      else ready.push(row);
    }
    const chunks: PushRow[][] = [];
    // One call per object type and write mode: updates by Id and upserts by external id use different resources.
    const bySObject = new Map<string, PushRow[]>();
    for (const row of ready) {
      const key = `${row.sobject}:${byId(row) ? 'id' : 'upsert'}`;
      bySObject.set(key, [...(bySObject.get(key) ?? []), row]);
    }
    for (const group of bySObject.values())
      for (let i = 0; i < group.length; i += MAX_COLLECTION_SIZE)
        chunks.push(group.slice(i, i + MAX_COLLECTION_SIZE));

    await mapWithConcurrency(chunks, options.concurrency ?? 4, async (chunk) => {
      const stopped = state.stoppedBy;
      if (stopped) {
        for (const row of chunk)
          outcomes.set(row.id, { id: row.id, status: 'DEFERRED', reason: stopped.message });
        return;
      }
      const result = await pushChunk(writer, chunk);
      if (result instanceof SalesforceError) {
        state.stoppedBy = result;
        for (const row of chunk)
          outcomes.set(row.id, { id: row.id, status: 'DEFERRED', reason: result.message });
        return;
      }
      for (const outcome of result) outcomes.set(outcome.id, outcome);
    });

    for (const row of rows.filter((r) => SOBJECTS[r.sobject].rank === rank)) {
      if (outcomes.get(row.id)?.status !== 'DONE')
        notInSalesforce.add(recordKey(row.sobject, row.externalId));
    }
  }
  return { outcomes: rows.map((row) => outcomes.get(row.id)!), stoppedBy: state.stoppedBy };
}

/**
 * One sObject Collections call for rows of one type. Returns per-row outcomes, or the error that
 * must stop the connection. A whole-call data error is bisected so one bad record cannot take
 * 199 good ones to the dead letters with it.
 */
async function pushChunk(
  writer: CollectionWriter,
  rows: PushRow[],
): Promise<PushOutcome[] | SalesforceError> {
  const sobject = rows[0].sobject;
  const spec = SOBJECTS[sobject];
  const path =
    spec.externalIdField === 'Id' || byId(rows[0])
      ? '/composite/sobjects'
      : `/composite/sobjects/${salesforceTypeOf(sobject)}/${spec.externalIdField}`;
  const records = rows.map((row) =>
    toSObjectRecord(row.sobject, row.externalId, row.fields, row.salesforceId ?? null),
  );
  let results: SaveResult[];
  try {
    results = await writer.write<SaveResult[]>('PATCH', path, { allOrNone: false, records });
  } catch (error) {
    const failure =
      error instanceof SalesforceError
        ? error
        : new SalesforceError('TRANSIENT', 'UNKNOWN', (error as Error).message ?? String(error));
    if (failure.kind === 'RATE_LIMITED' || failure.kind === 'AUTH_BROKEN') return failure;
    if (failure.kind === 'PERMANENT' && rows.length > 1) {
      const middle = Math.ceil(rows.length / 2);
      const halves = [
        await pushChunk(writer, rows.slice(0, middle)),
        await pushChunk(writer, rows.slice(middle)),
      ];
      const stop = halves.find((h): h is SalesforceError => h instanceof SalesforceError);
      return stop ?? (halves.flat() as PushOutcome[]);
    }
    const status = failure.kind === 'PERMANENT' ? 'DEAD' : 'RETRY';
    return rows.map((row) => ({ id: row.id, status, code: failure.code, message: failure.message }));
  }
  if (!Array.isArray(results) || results.length !== rows.length) {
    return rows.map((row) => ({
      id: row.id,
      status: 'RETRY' as const,
      code: 'UNEXPECTED_RESPONSE',
      message: `Expected ${rows.length} results, got ${Array.isArray(results) ? results.length : typeof results}`,
    }));
  }
  return rows.map((row, index): PushOutcome => {
    const result = results[index];
    if (result.success) return { id: row.id, status: 'DONE', salesforceId: result.id ?? null };
    const classified = classifyRowErrors(result.errors ?? []);
    return {
      id: row.id,
      status: classified.kind === 'PERMANENT' ? 'DEAD' : 'RETRY',
      code: classified.code,
      message: classified.message,
    };
  });
}
