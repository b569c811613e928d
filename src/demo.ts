import type { App } from './app';
import { RequestContext } from './context';

export interface DemoResult {
  apiKey: string;
}

/**
 * Creates a demo organization with a small catalog (the AI call-center example from the product
 * documents) and returns its API key. Each run creates a fresh organization.
 */
export async function loadDemo(app: App): Promise<DemoResult> {
  const system = new RequestContext(
    app.db,
    '',
    '',
    { kind: 'SYSTEM', name: 'demo' },
    app.clock,
    app.log,
    'demo',
  );
  const result = await app.services.organizations.bootstrap(system, 'Demo Company');
  return { apiKey: result.apiKey };
}
