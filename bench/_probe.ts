import 'reflect-metadata';
import { App } from '../src/app';
import { loadConfig } from '../src/config/config';
import { RequestContext } from '../src/context';
import { createLogger } from '../src/logger';
async function main() {
  const config = { ...loadConfig(process.env), databaseUrl: 'mysql://root@127.0.0.1:3306/tally_probe', port: 0, host: '127.0.0.1', logLevel: 'warn' as const };
  const log = createLogger('warn');
  const app = await App.start(config, { log, workers: process.env.W === '1' });
  const system = new RequestContext(app.db, '', '', { kind: 'SYSTEM', name: 'bench' }, app.clock, log, 'bench');
  const org = await app.services.organizations.bootstrap(system, 'Bench Org');
  const ctx = system.forEnvironment(org.environment.id, org.organization.id);
  await app.services.customers.create(ctx, { name: `C`, externalId: `ext_0` });
  const sizes: number[] = [];
  const svc = app.services.events as any;
  const orig = svc.ingest.bind(svc);
  const timings: number[] = [];
  svc.ingest = async (c: any, e: any[]) => { sizes.push(e.length); const t = performance.now(); const r = await orig(c, e); timings.push(performance.now() - t); return r; };
  let n = 0;
  const N = 5000;
  const t0 = performance.now();
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: 32 }, async () => {
    while (n < N) {
      const i = n++;
      const r = await fetch(`${app.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${org.apiKey}` }, body: JSON.stringify({ customer_id: 'ext_0', event_name: 'x', idempotency_key: `k${i}`, properties: { a: 1 } }) });
      await r.text();
    }
  }));
  const wall = performance.now() - t0;
  const u = performance.eventLoopUtilization(elu);
  const c = process.cpuUsage(cpu);
  console.log('rate', Math.round(N / (wall / 1000)), 'elu', u.utilization.toFixed(2), 'cpu µs/ev', ((c.user + c.system) / N).toFixed(0));
  const avg = sizes.reduce((a, b) => a + b, 0) / sizes.length;
  console.log('groups', sizes.length, 'avg size', avg.toFixed(1), 'avg ingest ms', (timings.reduce((a, b) => a + b, 0) / timings.length).toFixed(2));
  await app.stop();
}
main();
