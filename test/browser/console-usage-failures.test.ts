import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '../support/test-app';
import { createCustomer } from '../support/billing-api';
import { createMeter, usage } from '../support/usage-helpers';
import { expectText, launchBrowser, newConsoleContext, screenshot, signIn } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';

const DAY = { from: '2026-03-10T00:00:00Z', to: '2026-03-11T00:00:00Z' };

/**
 * An operator finds the event the aggregator set aside (a group-key value too long for the aggregates,
 * stored by SQL as if ingestion had let it through), sees why, fixes it and retries it from the console.
 */
describe('console: usage failures (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let acme: string;
  let poisonId: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await TestApp.start();
    t.clock.set('2026-03-10T12:00:00Z');
    acme = await createCustomer(t, 'Acme', 'acme');
    await createMeter(t, {
      code: 'MINUTES',
      eventName: 'ai_call',
      aggregation: 'SUM',
      aggregationKey: 'minutes',
      groupKeys: ['region'],
    });
    await t.app.db.query(
      `INSERT INTO usage_events
         (environment_id, customer_id, event_name, idempotency_key, occurred_at, received_at, ingest_batch, properties)
       VALUES (?, ?, 'ai_call', 'poison', '2026-03-10 09:30:00.000', '2026-03-10 12:00:00.000', 1, ?)`,
      [t.environmentId, acme, JSON.stringify({ region: 'x'.repeat(600), minutes: 7 })],
    );
    const [row] = (await t.app.db.query(
      `SELECT id FROM usage_events WHERE idempotency_key = 'poison'`,
    )) as Array<{
      id: string | number;
    }>;
    poisonId = String(row.id);
    await t.app.workers.aggregator.drain();

    browser = await launchBrowser();
    context = await newConsoleContext(browser, t.url);
    page = await context.newPage();
    await signIn(page, t.apiKey);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.stop();
  });

  it('lists the set-aside event with its reason', async () => {
    await page.getByRole('link', { name: 'Usage failures' }).click();
    const row = page.getByRole('row', { name: new RegExp(`#${poisonId}`) });
    await expectText(row, /DATA_TOO_LONG/);
    await expectText(row, /dimension_key/);
    await expectText(row, /set aside/);
    await screenshot(page, 'usage-failures');
  });

  it('retries it after a fix: queued, then gone from the list and counted once', async () => {
    await t.app.db.query(`UPDATE usage_events SET properties = ? WHERE id = ?`, [
      JSON.stringify({ region: 'APAC', minutes: 7 }),
      poisonId,
    ]);
    await page.getByRole('button', { name: `Retry event ${poisonId}` }).click();
    await expectText(page.getByRole('row', { name: new RegExp(`#${poisonId}`) }), /retry queued/);
    await t.app.workers.aggregator.drain();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expectText(page.locator('p.empty'), /No usage events are set aside/);
    // The fixed event alone: 7 minutes in APAC, one event.
    const rows = await usage(t, { customerId: acme, meterCode: 'MINUTES', ...DAY });
    expect(rows).toEqual([{ dimensions: { region: 'APAC' }, quantity: '7', eventCount: 1 }]);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    await expectText(page.getByRole('row', { name: new RegExp(`#${poisonId}`) }), /resolved/);
  });
});
