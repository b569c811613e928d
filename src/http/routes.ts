import type { Logger } from '../logger';
import type { Services } from '../services';
import type { Authenticator } from '../services/authenticator';
import type { Workers } from '../workers';
import type { Router } from './router';

export interface RouteDeps {
  services: Services;
  authenticator: Authenticator;
  log: Logger;
  workers: Workers;
}

/** Every REST route. Add new route modules here (one line each). */
export function registerRoutes(_router: Router, _deps: RouteDeps): void {}
