import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppMetrics } from '../observability/metrics';
import { bearerToken, sendJson } from './http-utils';
import type { Router } from './router';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics`: Prometheus exposition, behind its own bearer token (METRICS_TOKEN), never an API key:
 * a scraper sees every environment's totals, no tenant's data. Without METRICS_TOKEN the route does not
 * exist (404); with it, a missing or wrong token is a 401.
 */
export function registerMetricsRoutes(router: Router, metrics: AppMetrics, token: string | null): void {
  const expected = token ? sha256(token) : null;
  router.add('GET', '/metrics', async (req, res) => {
    if (!expected) {
      return sendJson(res, 404, { error: { code: 'NOT_FOUND', message: 'No route for /metrics' } });
    }
    // Compared as hashes, in constant time: the token's length and content do not leak through timing.
    const given = bearerToken(req);
    if (!given || !timingSafeEqual(sha256(given), expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return sendJson(res, 401, {
        error: {
          code: 'UNAUTHENTICATED',
          message: 'GET /metrics needs Authorization: Bearer <METRICS_TOKEN>',
        },
      });
    }
    const text = await metrics.render();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : text);
  });
}
