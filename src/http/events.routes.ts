import type { IncomingMessage } from 'node:http';
import { forbidden } from '../domain/errors';
import { MAX_BATCH_SIZE } from '../domain/usage-event';
import type { EventOutcome } from '../services/usage';
import { bearerToken, HttpError, readJson, requireJsonContentType, sendJson } from './http-utils';
import type { Router } from './router';
import type { RouteDeps } from './route-deps';

const SINGLE_BODY_LIMIT = 64 * 1024;
/** 1,000 events of a few KB each; keeps the one INSERT statement well under max_allowed_packet (16 MB). */
const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

/** Maps an event in the wire shape of the docs (snake_case) to the service's input. */
function fromWire(event: unknown): unknown {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) return event;
  const e = event as Record<string, unknown>;
  return {
    customerId: e.customer_id,
    eventName: e.event_name,
    idempotencyKey: e.idempotency_key,
    timestamp: e.timestamp,
    properties: e.properties,
  };
}

function toWire(outcome: EventOutcome) {
  return outcome.status === 'rejected'
    ? { index: outcome.index, status: outcome.status, error: outcome.error }
    : { index: outcome.index, status: outcome.status };
}

/**
 * REST ingestion, in the shape of the product docs ("Send Usage Events"):
 *
 *   POST /v1/events        one event            → 202 {"index":0,"status":"accepted"|"duplicate"}
 *                                                 422 {"index":0,"status":"rejected","error":{code,message,field}}
 *   POST /v1/events/batch  {"events":[…≤1000]}  → 202 when none was rejected, 207 when some were:
 *                                                 {"accepted","duplicates","rejected","results":[…per index…]}
 *
 * A Content-Type other than application/json is 415; a body that is not JSON is 400; more than 1,000 events is 413 and nothing is stored. Both answer only
 * after the accepted events are committed. Authentication: `Authorization: Bearer <API key>`.
 */
export function registerEventRoutes(router: Router, deps: RouteDeps): void {
  const contextFor = async (req: IncomingMessage) => {
    const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
    const ctx = await deps.authenticator.context(bearerToken(req), requestId, deps.log);
    if (ctx.caller.kind !== 'API_KEY') throw forbidden('Sending events needs an API key');
    return ctx;
  };

  router.add('POST', '/v1/events', async (req, res) => {
    requireJsonContentType(req);
    const ctx = await contextFor(req);
    const body = await readJson(req, SINGLE_BODY_LIMIT);
    const outcome = await deps.services.events.ingestOne(ctx, fromWire(body));
    sendJson(res, outcome.status === 'rejected' ? 422 : 202, toWire(outcome));
  });

  router.add('POST', '/v1/events/batch', async (req, res) => {
    requireJsonContentType(req);
    const ctx = await contextFor(req);
    const body = await readJson(req, BATCH_BODY_LIMIT);
    const events = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(events)) {
      throw new HttpError(400, 'BAD_USER_INPUT', 'The body must be {"events": [ … ]}');
    }
    if (events.length > MAX_BATCH_SIZE) {
      throw new HttpError(
        413,
        'PAYLOAD_TOO_LARGE',
        `A batch holds at most ${MAX_BATCH_SIZE} events, got ${events.length}; nothing was stored`,
      );
    }
    const result = await deps.services.events.ingest(ctx, events.map(fromWire));
    sendJson(res, result.rejected ? 207 : 202, {
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: result.rejected,
      results: result.results.map(toWire),
    });
  });
}
