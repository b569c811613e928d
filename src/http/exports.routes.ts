import type { IncomingMessage, ServerResponse } from 'node:http';
import { csvRow } from '../domain/csv';
import { forbidden } from '../domain/errors';
import { bearerToken } from './http-utils';
import type { RouteDeps } from './route-deps';
import type { Router } from './router';

/** Resolves when the socket can take more, or when the client went away (then writing stops). */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * `GET /v1/exports/{invoices|invoice-lines|credit-ledger|usage}.csv?from=&to=&customerId=`: finance
 * exports as CSV, streamed: the header goes out at once and rows follow page by page, each page written
 * only once the client has taken the previous one (back-pressure), so neither side buffers the file.
 * API keys only. Every check (key, kind, dates, customer) runs before the first byte, so a bad request is
 * a plain JSON error; a failure mid-stream cuts the connection (a truncated file is never a whole one).
 */
export function registerExportRoutes(router: Router, deps: RouteDeps): void {
  router.add('GET', '/v1/exports/:kind.csv', async (req: IncomingMessage, res, params, url) => {
    const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
    const ctx = await deps.authenticator.context(bearerToken(req), requestId, deps.log);
    if (ctx.caller.kind !== 'API_KEY') throw forbidden('Exports need an API key');
    const csv = await deps.services.exports.open(ctx, params.kind, {
      from: url.searchParams.get('from'),
      to: url.searchParams.get('to'),
      customerId: url.searchParams.get('customerId'),
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${params.kind}.csv"`,
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return void res.end();
    res.write(csvRow(csv.header));
    try {
      for await (const page of csv.pages) {
        if (res.destroyed) return;
        if (!res.write(page.map(csvRow).join(''))) await writable(res);
      }
      res.end();
    } catch (error) {
      deps.log.error({ err: error, requestId, kind: params.kind }, 'export failed mid-stream');
      res.destroy();
    }
  });
}
