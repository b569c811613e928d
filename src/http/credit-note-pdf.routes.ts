import type { IncomingMessage, ServerResponse } from 'node:http';
import { forbidden } from '../domain/errors';
import { creditNotePdfFileName, loadCreditNotePdfView } from '../services/credit-notes';
import { renderInvoicePdf } from '../services/invoicing';
import { bearerToken } from './http-utils';
import type { Router } from './router';
import type { RouteDeps } from './route-deps';

/**
 * `GET /v1/credit-notes/:id.pdf`: a credit note as a PDF, drawn by the invoice PDF module. Auth as for
 * invoice PDFs: an API key reads any credit note of its environment, a customer token only its own.
 */
export function registerCreditNotePdfRoutes(router: Router, deps: RouteDeps): void {
  router.add(
    'GET',
    '/v1/credit-notes/:id.pdf',
    async (req: IncomingMessage, res: ServerResponse, params, url) => {
      const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
      const ctx = await deps.authenticator.context(bearerToken(req), requestId, deps.log);
      if (ctx.caller.kind === 'PORTAL') {
        const note = await deps.services.creditNotes.getByIdOrThrow(ctx, params.id);
        if (note.customerId !== ctx.caller.customerId)
          throw forbidden('This credit note belongs to another customer');
      }
      const view = await loadCreditNotePdfView(ctx, deps.services, params.id);
      const pdf = await renderInvoicePdf(view);
      const disposition = url.searchParams.get('download') ? 'attachment' : 'inline';
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': pdf.length,
        'content-disposition': `${disposition}; filename="${creditNotePdfFileName(view)}"`,
        'cache-control': 'private, no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : pdf);
    },
  );
}
