import { registerConsoleRoutes } from './console.routes';
import { registerCreditNotePdfRoutes } from './credit-note-pdf.routes';
import { registerContractDocumentRoutes } from './contract-documents.routes';
import { registerEventRoutes } from './events.routes';
import { registerExportRoutes } from './exports.routes';
import { registerInvoicePdfRoutes } from './invoice-pdf.routes';
import { registerMetricsRoutes } from './metrics.routes';
import type { RouteDeps } from './route-deps';
import type { Router } from './router';
import { registerSalesforceRoutes } from './salesforce.routes';
import { registerStripeRoutes } from './stripe.routes';

/** Every REST route. Add new route modules here (one line each). */
export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerEventRoutes(router, deps);
  registerSalesforceRoutes(router, deps);
  registerStripeRoutes(router, deps);
  registerInvoicePdfRoutes(router, deps);
  registerCreditNotePdfRoutes(router, deps);
  registerExportRoutes(router, deps);
  registerMetricsRoutes(router, deps.metrics, deps.services.config.metricsToken);
  registerContractDocumentRoutes(router, deps);
  registerConsoleRoutes(router);
}
