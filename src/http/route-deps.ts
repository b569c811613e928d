import type { Logger } from '../logger';
import type { AppMetrics } from '../observability/metrics';
import type { Services } from '../services';
import type { Authenticator } from '../services/platform';
import type { Workers } from '../workers';

/** What every REST route module is handed: the services, the caller's authentication, logging and workers. */
export interface RouteDeps {
  services: Services;
  authenticator: Authenticator;
  log: Logger;
  workers: Workers;
  metrics: AppMetrics;
}
