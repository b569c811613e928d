import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Authenticator } from '../services/platform';
import type { Workers } from '../workers';
import { registerConsoleRoutes } from './console.routes';
import { registerEventRoutes } from './events.routes';
import { registerInvoicePdfRoutes } from './invoice-pdf.routes';
import type { Router } from './router';
import { registerSalesforceRoutes } from './salesforce.routes';

export interface RouteDeps {
  services: Services;
  authenticator: Authenticator;
  log: Logger;
  workers: Workers;
}

/** Every REST route. Add new route modules here (one line each). */
export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerEventRoutes(router, deps);
  registerSalesforceRoutes(router, deps);
  registerInvoicePdfRoutes(router, deps);
  registerConsoleRoutes(router);
}
