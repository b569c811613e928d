import { backoffMs, retryAfterMs, verdictFor } from '../../src/domain/webhook-retry';
import { signatureHeader, verifySignature } from '../../src/domain/webhook-signature';

describe('webhook retry policy', () => {
  it('delivers on 2xx, retries timeouts, 408, 429 and 5xx, and stops on any other answer', () => {
    expect([200, 204, 299].map(verdictFor)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
    expect([null, 408, 429, 500, 503].map(verdictFor)).toEqual(['RETRY', 'RETRY', 'RETRY', 'RETRY', 'RETRY']);
    expect([301, 400, 401, 404, 410, 422].map(verdictFor)).toEqual([
      'FAILED',
      'FAILED',
      'FAILED',
      'FAILED',
      'FAILED',
      'FAILED',
    ]);
  });

  it('waits between half and all of base × 2^(n-1), capped', () => {
    // base 30 s: 1st retry 30 s ceiling → 15,000 ms at random 0, 30,000 ms at random → 1.
    expect(backoffMs(1, 30_000, 21_600_000, 0)).toBe(15_000);
    expect(backoffMs(1, 30_000, 21_600_000, 0.999999)).toBe(30_000);
    // 4th: 30 s × 2³ = 240 s ceiling; random 0.5 → 120 s + 60 s = 180,000 ms.
    expect(backoffMs(4, 30_000, 21_600_000, 0.5)).toBe(180_000);
    // 12th: 30 s × 2¹¹ = 61,440 s, over the 6 h (21,600 s) cap → between 10,800 s and 21,600 s.
    expect(backoffMs(12, 30_000, 21_600_000, 0)).toBe(10_800_000);
    expect(backoffMs(500, 30_000, 21_600_000, 0)).toBe(10_800_000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped, and ignores what it cannot read', () => {
    const now = Date.parse('2026-12-08T10:00:00Z');
    expect(retryAfterMs('120', now, 21_600_000)).toBe(120_000);
    expect(retryAfterMs('Tue, 08 Dec 2026 10:05:00 GMT', now, 21_600_000)).toBe(300_000);
    expect(retryAfterMs('Tue, 08 Dec 2026 09:00:00 GMT', now, 21_600_000)).toBe(0); // already past
    expect(retryAfterMs('999999', now, 21_600_000)).toBe(21_600_000);
    expect(retryAfterMs('soon', now, 21_600_000)).toBeNull();
    expect(retryAfterMs(undefined, now, 21_600_000)).toBeNull();
  });
});

const OPENSSL_DIGEST = '35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91';

describe('webhook signature', () => {
  it('is t=<unix>,v1=<HMAC-SHA256 of "t.body">, checked within the tolerance', () => {
    // Known answer: HMAC-SHA256(key "whsec_test", "1700000000.{}") computed independently with openssl:
    // printf '1700000000.{}' | openssl dgst -sha256 -hmac whsec_test
    const header = signatureHeader('whsec_test', 1_700_000_000, '{}');
    expect(header).toBe(`t=1700000000,v1=${OPENSSL_DIGEST}`);
    expect(verifySignature('whsec_test', header, '{}', 1_700_000_299)).toBe(true);
    expect(verifySignature('whsec_test', header, '{}', 1_700_000_301)).toBe(false); // 5 min + 1 s late
    expect(verifySignature('whsec_test', header, '{ }', 1_700_000_000)).toBe(false);
    expect(verifySignature('whsec_other', header, '{}', 1_700_000_000)).toBe(false);
  });
});
