import http from 'node:http';
import https from 'node:https';
import { signatureHeader } from '../../domain/webhook-signature';
import { publicOnlyLookup, UrlRefusedError, type PublicUrlPolicy } from '../common';
import type { AttemptResult, ClaimedDelivery } from './webhook-deliveries.service';

/** The receiver's answer is kept up to this many bytes (UTF-8) for the deliveries view. */
export const RESPONSE_EXCERPT_BYTES = 1024;

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
  /** Resolved again at connect time, refusing non-public addresses: DNS rebinding after the URL check fails. */
  private readonly lookup = publicOnlyLookup();

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
          lookup: this.urls.allowsPrivate ? undefined : this.lookup,
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
