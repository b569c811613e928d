import type { IncomingMessage, ServerResponse } from 'node:http';
import { forbidden } from '../domain/errors';
import { invoicePdfFileName, loadInvoicePdfView, renderInvoicePdf } from '../services/invoicing';
import { bearerToken } from './http-utils';
import type { Router } from './router';
import type { RouteDeps } from './route-deps';

/**
 * `GET /v1/invoices/:id.pdf`: the invoice (draft or finalized) rendered as a PDF. Same bearer auth as the
 * API (no token in the URL); an API key reads any invoice of its environment, a customer token only its
 * own customer's. `?download=1` asks the browser to save it instead of showing it.
 */
export function registerInvoicePdfRoutes(router: Router, deps: RouteDeps): void {
  router.add(
    'GET',
    '/v1/invoices/:id.pdf',
    async (req: IncomingMessage, res: ServerResponse, params, url) => {
      const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
      const ctx = await deps.authenticator.context(bearerToken(req), requestId, deps.log);
      if (ctx.caller.kind === 'PORTAL') {
        const invoice = await deps.services.invoices.getByIdOrThrow(ctx, params.id);
        if (invoice.customerId !== ctx.caller.customerId)
          throw forbidden('This invoice belongs to another customer');
      }
      const view = await loadInvoicePdfView(ctx, deps.services, params.id);
      const pdf = await renderInvoicePdf(view);
      const disposition = url.searchParams.get('download') ? 'attachment' : 'inline';
      res.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': pdf.length,
        'content-disposition': `${disposition}; filename="${invoicePdfFileName(view, params.id)}"`,
        // Drafts change with every event; finalized invoices are private to the key holder.
        'cache-control': 'private, no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : pdf);
    },
  );
}
