import type { IncomingMessage } from 'node:http';
import { isSalesforceId } from '../../connectors/salesforce';
import { bearerToken, HttpError, readBody, sendJson } from './http-utils';
import type { Router } from './router';
import type { RouteDeps } from './route-deps';

const BODY_LIMIT = 256 * 1024;
const MAX_IDS = 100;

/** The acknowledgement an Outbound Message expects; without it Salesforce keeps redelivering. */
const OUTBOUND_MESSAGE_ACK =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">' +
  '<soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack>' +
  '</notificationsResponse></soapenv:Body></soapenv:Envelope>';

/** The per-connection secret: a bearer token, an `x-tally-trigger-secret` header, or `?token=` (Outbound Messages cannot set headers). */
function presentedSecret(req: IncomingMessage, url: URL): string | null {
  const header = req.headers['x-tally-trigger-secret'];
  return bearerToken(req) ?? (typeof header === 'string' ? header : null) ?? url.searchParams.get('token');
}

/** Opportunity ids from a Flow callout (`{"opportunityId"}` / `{"opportunityIds":[…]}`) or an Outbound Message (SOAP). */
function opportunityIds(body: string, contentType: string): string[] {
  if (/xml/i.test(contentType) || body.trimStart().startsWith('<')) {
    const ids = [...body.matchAll(/<sf:Id>([a-zA-Z0-9]{15,18})<\/sf:Id>/g)].map((m) => m[1]);
    return ids.filter((id) => id.startsWith('006'));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'Request body is not valid JSON');
  }
  const record = (parsed ?? {}) as { opportunityId?: unknown; opportunityIds?: unknown };
  const ids = Array.isArray(record.opportunityIds) ? record.opportunityIds : [record.opportunityId];
  if (
    !ids.length ||
    ids.length > MAX_IDS ||
    !ids.every((id) => typeof id === 'string' && isSalesforceId(id))
  ) {
    throw new HttpError(
      400,
      'BAD_USER_INPUT',
      `Send {"opportunityId": "006…"} or up to ${MAX_IDS} opportunityIds`,
    );
  }
  return ids as string[];
}

/**
 * `POST /v1/salesforce/trigger`: a Salesforce Flow (HTTP callout) or Outbound Message says a deal closed.
 * Tally answers at once (202, or the SOAP ack), then re-reads each Opportunity through the API, never
 * trusting terms in the callback, and upserts its draft. The poller remains the safety net.
 */
export function registerSalesforceRoutes(router: Router, deps: RouteDeps): void {
  router.add('POST', '/v1/salesforce/trigger', async (req, res, _params, url) => {
    const secret = presentedSecret(req, url);
    const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
    const caller = { kind: 'SYSTEM', name: 'salesforce-trigger' } as const;
    // The secret tells which environment the call is for; until then the lookup runs in none.
    const lookup = deps.authenticator.contextFor(
      { environmentId: '', organizationId: '', caller },
      requestId,
      deps.log,
    );
    const connection = secret ? await deps.services.salesforce.findByTriggerSecret(lookup, secret) : null;
    if (!connection)
      throw new HttpError(401, 'UNAUTHENTICATED', 'A valid Salesforce trigger secret is required');
    const contentType = req.headers['content-type'] ?? '';
    const ids = opportunityIds(await readBody(req, BODY_LIMIT), contentType);
    const ctx = deps.authenticator.contextFor(
      { environmentId: connection.environmentId, organizationId: connection.organizationId, caller },
      requestId,
      deps.log,
    );
    if (/xml/i.test(contentType)) {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(OUTBOUND_MESSAGE_ACK);
    } else {
      sendJson(res, 202, { accepted: ids });
    }
    deps.services.salesforce.scheduleOpportunitySyncs(ctx, ids);
  });
}
