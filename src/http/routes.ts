import { registerConsoleRoutes } from './console.routes';
import { registerContractDocumentRoutes } from './contract-documents.routes';
import { registerEventRoutes } from './events.routes';
import { registerInvoicePdfRoutes } from './invoice-pdf.routes';
import type { RouteDeps } from './route-deps';
import type { Router } from './router';
import { registerSalesforceRoutes } from './salesforce.routes';

/** Every REST route. Add new route modules here (one line each). */
export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerEventRoutes(router, deps);
  registerSalesforceRoutes(router, deps);
  registerInvoicePdfRoutes(router, deps);
  registerContractDocumentRoutes(router, deps);
  registerConsoleRoutes(router);
}
