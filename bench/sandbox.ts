/**
 * Sandbox benchmark: `npm run bench:sandbox`.
 *
 * Starts Tally on a scratch database (BENCH_SANDBOX_DATABASE_URL, default
 * mysql://root@127.0.0.1:3306/tally_bench_sandbox, dropped and recreated), builds a live catalog of
 * 100 meters with 10 rate card entries each (1,000 entries), 100 pricings and a plan of them, then
 * times `createSandbox(copyCatalogFrom: "live")` over GraphQL (BENCH_SAMPLES times, default 10) and,
 * as the machine's own reference in the same run, a trivial GraphQL query and a bare `SELECT 1`.
 * The target: a sandbox with its cloned catalog in under a second.
 */
import 'reflect-metadata';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { Decimal } from '../src/domain/money';
import { createLogger } from '../src/logger';
import { benchOrganization, dropDatabase, percentile, recreateDatabase } from './support';

const DATABASE_URL =
  process.env.BENCH_SANDBOX_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/tally_bench_sandbox';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 10);

async function time(
  samples: number,
  work: (i: number) => Promise<void>,
): Promise<{ p50: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await work(i);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), max: Math.max(...times) };
}

async function main(): Promise<void> {
  await recreateDatabase(DATABASE_URL);

  const config = {
    ...loadConfig({}),
    databaseUrl: DATABASE_URL,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent' as const,
    // Every sample keeps its sandbox: the quota must not cut the run short.
    sandboxQuota: Math.max(SAMPLES, 10),
  };
  const app = await App.start(config, { log: createLogger('silent'), workers: false });
  const { org, ctx } = await benchOrganization(app);
  const { meters, rateCards, pricings, plans } = app.services;

  const items: Array<{ pricingId: string }> = [];
  for (let m = 0; m < 100; m++) {
    const code = `METER_${m}`;
    await meters.create(ctx, {
      code,
      displayName: `Meter ${m}`,
      eventName: `event_${m}`,
      aggregation: 'SUM',
      aggregationKey: 'value',
      groupKeys: ['region'],
    });
    const card = await rateCards.create(ctx, {
      meterCode: code,
      name: `${code} rates`,
      entries: Array.from({ length: 10 }, (_, i) => ({
        dimensions: { region: `r${i}` },
        rate: new Decimal(`0.00${i + 1}`),
      })),
    });
    const pricing = await pricings.createUsage(ctx, {
      name: `${code} usage`,
      meterCode: code,
      model: 'PER_UNIT',
      fallbackRate: new Decimal('0.01'),
      rateCardId: card.id,
    });
    items.push({ pricingId: pricing.id });
  }
  await plans.create(ctx, { name: 'Everything', currency: 'USD', isPublic: true, items });

  const gql = async (query: string) => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${org.apiKey}` },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!;
  };

  let cloned: unknown = null;
  const sandbox = await time(SAMPLES, async (i) => {
    const data = await gql(
      `mutation { createSandbox(name: "bench-${i}", copyCatalogFrom: "live") { cloned { meters rateCardEntries pricings planItems } } }`,
    );
    cloned = (data.createSandbox as { cloned: unknown }).cloned;
  });
  const trivial = await time(200, async () => {
    await gql('{ currentEnvironment { id } }');
  });
  const select1 = await time(200, async () => {
    await app.db.query('SELECT 1');
  });
  await app.stop();
  await dropDatabase(DATABASE_URL);

  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`Sandbox benchmark (${new Date().toISOString()})`);
  console.log(`  cloned per sandbox: ${JSON.stringify(cloned)}`);
  console.log(
    `  createSandbox over GraphQL: p50 ${ms(sandbox.p50)}, max ${ms(sandbox.max)} (n=${SAMPLES}; target < 1000 ms)`,
  );
  console.log(`  reference: trivial GraphQL query p50 ${ms(trivial.p50)}; SELECT 1 p50 ${ms(select1.p50)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
