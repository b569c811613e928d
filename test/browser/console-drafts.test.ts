import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '../support/test-app';
import { expectText, launchBrowser, newConsoleContext, screenshot, signIn } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { createAiCallCatalog, currentMonthStart, type Catalog } from './support/scenario';

/** Contract Extraction in the console: sign in, review a draft's terms, confirm it or reject it. */
describe('console: sign-in and contract draft review (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let catalog: Catalog;
  let reviewedDraftId = '';

  async function createDraft(name: string): Promise<string> {
    const start = currentMonthStart();
    const data = await t.gqlOk<{ createContractDraft: { id: string } }>(
      `mutation($input: ContractDraftInput!) { createContractDraft(input: $input) { id } }`,
      {
        input: {
          proposedCustomer: { name, email: 'billing@acme.test' },
          currency: 'USD',
          contractStart: start.day,
          paymentTermsDays: 45,
          billingCycle: 'MONTHLY',
          prepaidCredits: {
            grantAmount: '10000',
            invoiceAmount: '0',
            expiresOn: `${Number(start.day.slice(0, 4)) + 1}-12-31`,
          },
          usagePricings: [
            {
              pricingId: catalog.pricingId,
              dimensions: { region: 'US', call_outcome: 'escalated' },
              overrideRate: '0.75',
            },
          ],
        },
      },
    );
    return data.createContractDraft.id;
  }

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await TestApp.start();
    catalog = await createAiCallCatalog(t);
    browser = await launchBrowser();
    context = await newConsoleContext(browser, t.url);
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.stop();
  });

  it('is served at /console: index.html for every client route, hashed assets cached for good', async () => {
    const index = await fetch(`${t.url}/console/drafts/some-id`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const js = await fetch(`${t.url}${asset}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN
    expect((await fetch(`${t.url}/console/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/console/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${t.url}/console`, { redirect: 'manual' })).status).toBe(301);
  });

  it('signs in with an API key, refusing a wrong one, and keeps it for the tab only', async () => {
    await page.goto('/console/');
    await screenshot(page, 'sign-in');
    await page.getByLabel('API key').fill('tly_live_not-a-real-key');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('alert'), /not valid|revoked/i);

    await signIn(page, t.apiKey);
    await expectText(page.getByLabel('Environment'), /live/);
    const stored = await page.evaluate<string | null>("sessionStorage.getItem('tally.console.session')");
    expect(stored).toContain(t.apiKey);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);

    // A reload keeps the session; a deep link survives it (the server answers index.html).
    await page.goto('/console/catalog');
    await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
    await page.getByText('AI call rates').first().waitFor();
    await screenshot(page, 'catalog');
  });

  it('reviews a manual draft: issues highlighted, every dimensional rate, terms edited, summary', async () => {
    const id = await createDraft('Acme Support Co');
    await page.getByRole('link', { name: 'Contract drafts' }).click();
    const row = page.getByRole('row', { name: /Acme Support Co/ });
    await expectText(row, /Manual/);
    await screenshot(page, 'drafts');
    await row.getByRole('link', { name: 'Acme Support Co' }).click();
    await page.waitForURL(`**/console/drafts/${id}`);

    // The missing plan is an issue, highlighted on its field.
    await expectText(page.getByRole('region', { name: /issue/ }), /plan/i);
    await page.locator('#field-planId.field-flagged').waitFor();

    // Choosing the plan by keyboard, then Next saves the terms and shows the summary.
    await page.getByLabel('Pricing plan').selectOption({ label: 'AI Support Plan (USD)' });
    await page
      .getByLabel('Contract end (last day)')
      .fill(`${Number(currentMonthStart().day.slice(0, 4)) + 1}-10-31`);
    const matching = page.getByRole('region', { name: 'Product matching' });
    await expectText(matching, /AI Call Pricing/);
    // Header, the nine dimensional rates and the fallback.
    expect(await matching.getByRole('row').count()).toBe(11);
    await screenshot(page, 'draft-commercial-terms', { readme: true });

    await page.getByRole('button', { name: 'Next' }).click();
    const review = page.getByRole('region', { name: 'Review contract information' });
    await expectText(review, /AI Support Plan/);
    await expectText(review, /\$10,000\.00/);
    await expectText(review, /45 days/);
    const matchingAfterSave = await t.gqlOk<{
      contractDraft: { pricings: Array<{ rates: unknown[] }>; issues: unknown[] };
    }>(`query($id: ID!) { contractDraft(id: $id) { pricings { rates { rate } } issues { code } } }`, { id });
    expect(matchingAfterSave.contractDraft.pricings[0].rates).toHaveLength(9);
    await screenshot(page, 'draft-review', { readme: true });
    reviewedDraftId = id;
  });

  it('confirms the reviewed draft and opens the customer it created', async () => {
    await page.goto(`/console/drafts/${reviewedDraftId}`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByRole('region', { name: 'Review contract information' })
      .getByRole('button', { name: 'Confirm' })
      .click();
    await expectText(page.getByRole('status').filter({ hasText: 'Confirmed' }), /contract is active/);
    const confirmed = await t.gqlOk<{ contractDraft: { status: string } }>(
      `query($id: ID!) { contractDraft(id: $id) { status } }`,
      { id: reviewedDraftId },
    );
    expect(confirmed.contractDraft.status).toBe('CONFIRMED');
    await page.getByRole('link', { name: 'Open the customer' }).click();
    await page.getByRole('heading', { name: 'Acme Support Co', level: 1 }).waitFor();
  });

  it('rejects a draft with a reason', async () => {
    const id = await createDraft('Globex Calls Ltd');
    await page.goto(`/console/drafts/${id}`);
    await page.getByLabel('Pricing plan').selectOption({ label: 'AI Support Plan (USD)' });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Reject…' }).click();
    await page.getByLabel('Reason for rejecting').fill('Duplicate of an existing deal');
    await page.getByRole('button', { name: 'Reject draft' }).click();
    await expectText(
      page.getByRole('status').filter({ hasText: 'Rejected' }),
      /Duplicate of an existing deal/,
    );
    const rejected = await t.gqlOk<{ contractDraft: { status: string; rejectReason: string } }>(
      `query($id: ID!) { contractDraft(id: $id) { status rejectReason } }`,
      { id },
    );
    expect(rejected.contractDraft).toEqual({
      status: 'REJECTED',
      rejectReason: 'Duplicate of an existing deal',
    });
  });

  it('is usable on a narrow window and by keyboard alone', async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto('/console/drafts');
    await page.getByRole('heading', { name: 'Contract drafts', level: 1 }).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(page, 'drafts-narrow');
    // The screen's heading takes focus when it opens, and Tab goes on to the screen's first control.
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe(
      'Contract drafts',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('To review');
    // The first tab stop of the page is the skip link.
    const first = await page.evaluate<string | undefined>(
      "document.querySelector('a[href], button, input, select, textarea')?.textContent",
    );
    expect(first).toBe('Skip to content');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
