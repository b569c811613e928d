import 'reflect-metadata';
import { loadConfig } from '../src/config/config';
import { RequestContext, systemClock } from '../src/context';
import { createDataSource, ensureDatabaseExists } from '../src/db/data-source';
import { createLogger } from '../src/logger';
import { ApiKeyService } from '../src/services/platform';
import { OrganizationService } from '../src/services/platform';

/**
 * `npm run bootstrap [-- --name "Acme" --json]`: creates an organization, its live environment and an
 * API key, migrating the database first, and prints the key (once).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const nameIndex = args.indexOf('--name');
  const name = nameIndex >= 0 ? args[nameIndex + 1] : 'My Company';
  const config = loadConfig();
  const log = createLogger('warn');
  await ensureDatabaseExists(config.databaseUrl);
  const db = createDataSource(config.databaseUrl, 2);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  const system = new RequestContext(
    db,
    '',
    '',
    { kind: 'SYSTEM', name: 'bootstrap' },
    systemClock,
    log,
    'bootstrap',
  );
  const result = await new OrganizationService(new ApiKeyService(db)).bootstrap(system, name);
  await db.destroy();
  if (json) {
    console.log(
      JSON.stringify({
        organizationId: result.organization.id,
        environmentId: result.environment.id,
        apiKey: result.apiKey,
      }),
    );
  } else {
    console.log(`Organization ${result.organization.name} (${result.organization.id})`);
    console.log(`Environment  live (${result.environment.id})`);
    console.log(`API key      ${result.apiKey}`);
    console.log('Store the key now: it is not shown again.');
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
