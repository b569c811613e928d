import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config';
import { ApiKeyService } from './api-key.service';
import { OrganizationService } from './organization.service';
import type { PubSub } from './pubsub';

/**
 * Every service, built once in the composition root and handed to resolvers, REST handlers and workers.
 * Services hold no request state; each method takes the RequestContext first.
 */
export function createServices(db: DataSource, config: AppConfig, pubsub: PubSub) {
  const apiKeys = new ApiKeyService(db);
  const organizations = new OrganizationService(apiKeys);
  return { config, pubsub, apiKeys, organizations };
}

export type Services = ReturnType<typeof createServices>;
