/**
 * Salesforce connector benchmark: `npm run bench:salesforce`.
 *
 * Against a local fake Salesforce (bench/fake-salesforce.ts) and a scratch database
 * (BENCH_DATABASE_URL, default mysql://root@127.0.0.1:3306/tally_bench_salesforce, dropped and recreated):
 *   1. backfill: one sync reads BENCH_SF_OPPORTUNITIES (10,000) won Opportunities, 3 line items each,
 *      2,000 per page, and upserts their contract drafts → drafts/s;
 *   2. push: BENCH_SF_OUTBOX (10,000) outbox rows (Accounts) are pushed through sObject Collections
 *      upserts of 200 by the outbox worker's batch method → rows/s.
 * Targets on 2 cores: ≥ 500 drafts/s, ≥ 1,000 pushed rows/s.
 */
import 'reflect-metadata';
import { crmChanges } from '../connectors/salesforce';
import { loadConfig } from '../src/config/config';
import { RequestContext, systemClock } from '../src/context';
import { createDataSource } from '../src/db/data-source';
import { withTransaction } from '../src/db/transaction';
import { newId } from '../src/domain/ids';
import { PlanEntity } from '../src/entities/plan.entity';
import { createLogger } from '../src/logger';
import { createServices } from '../src/services';
import { PubSub } from '../src/services/common';
import { startFakeSalesforce } from './fake-salesforce';
import { recreateDatabase } from './support';

const env = process.env;
const OPPORTUNITIES = Number(env.BENCH_SF_OPPORTUNITIES ?? 10_000);
const OUTBOX_ROWS = Number(env.BENCH_SF_OUTBOX ?? 10_000);
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_salesforce';

async function main(): Promise<void> {
  const config = { ...loadConfig(), databaseUrl: DATABASE_URL, logLevel: 'warn' as const };
  const log = createLogger('warn');
  await recreateDatabase(DATABASE_URL);
  const db = createDataSource(DATABASE_URL, 10);
  await db.initialize();
  await db.runMigrations({ transaction: 'each' });
  const services = createServices(db, config, new PubSub());
  const system = new RequestContext(db, '', '', { kind: 'SYSTEM', name: 'bench' }, systemClock, log, 'bench');
  const org = await services.organizations.bootstrap(system, 'Bench Org');
  const ctx = system.forEnvironment(org.environment.id, org.organization.id);

  // Catalog: one plan; the three deal products mapped.
  const planId = newId('pln');
  await ctx.repo(PlanEntity).insert({
    id: planId,
    environmentId: ctx.environmentId,
    name: 'Platform Pro',
    description: null,
    currency: 'USD',
    netTermsDays: 30,
    autoPay: false,
    billingCycle: 'ANNUAL',
    isPublic: false,
    createdAt: new Date(),
  });
  await services.productMappings.set(ctx, {
    productCode: 'PLAN-PRO-ANNUAL',
    targetKind: 'PLAN',
    targetId: planId,
  });
  await services.productMappings.set(ctx, {
    productCode: 'CREDITS-PREPAID',
    targetKind: 'PREPAID_CREDITS',
    creditGrantBasis: 'LIST_PRICE',
  });
  await services.productMappings.set(ctx, { productCode: 'FEE-ONBOARDING', targetKind: 'FLAT_FEE' });

  const fake = await startFakeSalesforce({ opportunities: OPPORTUNITIES });
  await services.salesforce.connect(ctx, {
    loginUrl: fake.url,
    instanceUrl: fake.url,
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
    refreshToken: 'bench-refresh-token',
    syncFrom: new Date('2024-12-01T00:00:00Z'),
  });

  // 1. Backfill.
  const syncStarted = process.hrtime.bigint();
  const result = await services.salesforce.sync(ctx);
  const syncSeconds = Number(process.hrtime.bigint() - syncStarted) / 1e9;
  if (result.status !== 'COMPLETED') throw new Error(`sync ${result.status}: ${result.reason}`);
  const [{ n: draftCount }] = (await db.query('SELECT COUNT(*) AS n FROM contract_drafts')) as Array<{
    n: string;
  }>;

  // 2. Push. Enqueued in transactions of 1,000 (as business changes would), then drained.
  for (let i = 0; i < OUTBOX_ROWS; i += 1_000) {
    await withTransaction(ctx, async (tx) => {
      for (let j = i; j < Math.min(OUTBOX_ROWS, i + 1_000); j++) {
        await services.crmOutbox.enqueue(
          tx,
          crmChanges.account({ customerId: `cus_bench_${j}`, name: `Customer ${j}` }),
        );
      }
    });
  }
  const pushStarted = process.hrtime.bigint();
  let pushed = 0;
  for (;;) {
    const batch = await services.crmOutbox.pushBatch(ctx, 1_000);
    if (!batch.claimed) break;
    pushed += batch.done;
  }
  const pushSeconds = Number(process.hrtime.bigint() - pushStarted) / 1e9;
  const [{ n: doneCount }] = (await db.query(
    "SELECT COUNT(*) AS n FROM crm_outbox WHERE status = 'DONE'",
  )) as Array<{ n: string }>;

  const report = {
    backfill: {
      opportunities: OPPORTUNITIES,
      pages: result.pages,
      draftsCreated: result.created,
      draftsInDatabase: Number(draftCount),
      seconds: Number(syncSeconds.toFixed(2)),
      draftsPerSecond: Math.round(result.created / syncSeconds),
      target: 500,
    },
    push: {
      rows: OUTBOX_ROWS,
      pushed,
      doneInDatabase: Number(doneCount),
      compositeCalls: fake.stats.upsertCalls,
      seconds: Number(pushSeconds.toFixed(2)),
      rowsPerSecond: Math.round(pushed / pushSeconds),
      target: 1000,
    },
  };
  console.log(JSON.stringify(report, null, 2));
  await fake.close();
  await db.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
