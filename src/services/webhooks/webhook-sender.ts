import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '../../domain/public-address';
import { signatureHeader } from '../../domain/webhook-signature';
import type { PublicUrlPolicy } from '../common';
import { UrlRefusedError } from '../common';
import type { AttemptResult, ClaimedDelivery } from './webhook-deliveries.service';

/** The receiver's answer is kept up to this many bytes (UTF-8) for the deliveries view. */
export const RESPONSE_EXCERPT_BYTES = 1024;

/**
 * Resolves like dns.lookup but refuses any non-public address, at connection time: a host that passed the
 * URL check and is then re-pointed at 127.0.0.1 or a metadata service (DNS rebinding) is still refused.
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const blocked = list.find((a) => !isPublicAddress(a.address));
    if (blocked || !list.length)
      return callback(new Error(`${hostname} resolves to a non-public address`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    callback(null, list[0].address, list[0].family);
  });
};

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character. */
function excerpt(buffer: Buffer): string {
  let text = buffer.subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
  while (Buffer.byteLength(text, 'utf8') > RESPONSE_EXCERPT_BYTES || text.endsWith('\uFFFD'))
    text = text.slice(0, -1);
  return text;
}

/**
 * POSTs one delivery: signed body, `Tally-Event-Id`, a hard overall timeout (not just an idle one, so a
 * receiver trickling bytes cannot hold a slot), no redirects followed. Never throws: every failure is an
 * AttemptResult (status null for timeouts and network errors).
 */
export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent = new https.Agent({ keepAlive: true });

  constructor(
    private readonly urls: PublicUrlPolicy,
    private readonly timeoutMs: number,
    private readonly nowSeconds: () => number,
  ) {}

  async send(delivery: ClaimedDelivery): Promise<AttemptResult> {
    const started = performance.now();
    const failed = (error: string): AttemptResult => ({
      statusCode: null,
      latencyMs: performance.now() - started,
      responseExcerpt: null,
      error,
      retryAfter: null,
    });
    let url: URL;
    try {
      url = await this.urls.check(delivery.url);
    } catch (error) {
      if (error instanceof UrlRefusedError)
        return { ...failed('The endpoint URL is not allowed'), statusCode: 0 };
      return failed((error as Error).message);
    }
    const timestamp = this.nowSeconds();
    const body = Buffer.from(delivery.body, 'utf8');
    const secure = url.protocol === 'https:';
    return new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (result: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const request = (secure ? https : http).request(
        url,
        {
          method: 'POST',
          agent: secure ? this.httpsAgent : this.httpAgent,
          lookup: this.urls.allowsPrivate ? undefined : publicOnlyLookup,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            'user-agent': 'Tally-Webhooks/1',
            'tally-event-id': delivery.eventId,
            'tally-signature': signatureHeader(delivery.secret, timestamp, delivery.body),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let kept = 0;
          response.on('data', (chunk: Buffer) => {
            if (kept < RESPONSE_EXCERPT_BYTES + 4) {
              chunks.push(chunk);
              kept += chunk.length;
            }
          });
          response.on('end', () =>
            finish({
              statusCode: response.statusCode ?? null,
              latencyMs: performance.now() - started,
              responseExcerpt: excerpt(Buffer.concat(chunks)),
              error: null,
              retryAfter: (response.headers['retry-after'] as string | undefined) ?? null,
            }),
          );
          response.on('error', (error) => finish(failed(error.message)));
        },
      );
      const timer = setTimeout(() => {
        finish(failed(`Timed out after ${this.timeoutMs} ms`));
        request.destroy();
      }, this.timeoutMs);
      request.on('error', (error) => finish(failed(error.message)));
      request.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
