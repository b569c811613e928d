import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from '../support/test-app';
import { expectText, launchBrowser, newConsoleContext, screenshot, signIn } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';
import { pdfText } from './support/pdf-text';
import { createAiCallCatalog, currentMonthStart, sendAiCall } from './support/scenario';

/**
 * The seed's walkthrough (002, Steps 6–7) in the console: Acme's contract with $10,000 of prepaid
 * credits, six AI calls sent over REST, then the customer, its draft invoice with the dimensional
 * breakdown, the events behind a quantity, the credit wallet and the invoice PDF.
 */
describe('console: customers, invoices, events, credits and the PDF (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let customerId: string;
  let contractId: string;
  let invoiceId: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await TestApp.start();
    const catalog = await createAiCallCatalog(t);
    const customer = await t.gqlOk<{ createCustomer: { id: string } }>(
      `mutation { createCustomer(input: { name: "Acme Support Co", email: "ap@acme.test", externalId: "acme" }) { id } }`,
    );
    customerId = customer.createCustomer.id;
    const start = currentMonthStart();
    const contract = await t.gqlOk<{ createContract: { id: string } }>(
      `mutation($input: CreateContractInput!) { createContract(input: $input) { id } }`,
      {
        input: {
          customerId,
          planId: catalog.planId,
          startDate: start.iso,
          paymentTermsDays: 45,
          creditGrantCents: '1000000',
          creditSettings: {
            description: 'Prepaid AI usage',
            expiresAt: `${Number(start.day.slice(0, 4)) + 2}-01-01T00:00:00.000Z`,
          },
        },
      },
    );
    contractId = contract.createContract.id;
    const calls: Array<[string, string, string, number]> = [
      ['call_001', 'US', 'resolved', 5],
      ['call_002', 'US', 'resolved', 8],
      ['call_003', 'US', 'transferred', 12],
      ['call_004', 'EU', 'resolved', 6],
      ['call_005', 'EU', 'escalated', 15],
      ['call_006', 'APAC', 'resolved', 4],
    ];
    for (const [id, region, outcome, minutes] of calls)
      await sendAiCall(t, customerId, id, region, outcome, minutes);
    await t.app.workers.aggregator.drain();
    const draft = await t.gqlOk<{ draftInvoice: { id: string } }>(
      `query($id: ID!) { draftInvoice(contractId: $id) { id } }`,
      { id: contractId },
    );
    invoiceId = draft.draftInvoice.id;

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

  it('finds the customer and shows its contract and current draft invoice by dimension', async () => {
    await t.gqlOk('mutation($c: ID!) { addPaymentMethod(customerId: $c, token: "tok_visa_4242") { id } }', {
      c: customerId,
    });
    await page.getByRole('link', { name: 'Customers' }).click();
    await page.getByLabel('Search customers').fill('acm');
    await page.getByRole('link', { name: 'Acme Support Co' }).click();
    await page.getByRole('heading', { name: 'Acme Support Co', level: 1 }).waitFor();
    await expectText(page.getByRole('region', { name: 'Contracts' }), /AI Support Plan/);
    const draft = page.getByRole('region', { name: /Current draft invoice/ });
    await expectText(draft.locator('[data-total="subtotal"]'), /\$21\.35/);
    expect(await draft.locator('tbody tr').count()).toBe(5);
    // The account history: the customer's creation and its contract's, newest first.
    const history = page.getByRole('region', { name: 'Account history' });
    await expectText(history, /Customer Acme Support Co created/);
    await expectText(history, /CREATED \(API\)/);
    await expectText(page.getByRole('region', { name: 'Payment methods' }), /Visa •••• 4242 \(default\)/);
    await screenshot(page, 'customer');
  });

  it('opens the invoice: lines with quantity, rate and amount, credits applied, amount due', async () => {
    await page.getByRole('link', { name: 'Open invoice' }).click();
    await page.waitForURL(`**/console/invoices/${invoiceId}`);
    const lines = page.locator('table.invoice-lines');
    const usResolved = lines.getByRole('row', { name: /AI Calls.*US \/ resolved/ });
    await expectText(usResolved, /13.*\$0\.20.*\$2\.60/);
    await expectText(lines.getByRole('row', { name: /EU \/ escalated/ }), /15.*\$0\.75.*\$11\.25/);
    await expectText(lines.locator('[data-total="credits"]'), /−\$21\.35/);
    await expectText(lines.locator('[data-total="amount-due"]'), /\$0\.00/);
    await screenshot(page, 'invoice', { readme: true });
  });

  it('clicks a quantity through to the events behind it (customer, period, dimension values)', async () => {
    await page
      .locator('table.invoice-lines')
      .getByRole('row', { name: /US \/ resolved/ })
      .getByRole('link', { name: /^13/ })
      .click();
    await page.getByRole('heading', { name: /Events: .*US \/ resolved/, level: 1 }).waitFor();
    const table = page.locator('table.events');
    await expectText(table, /ai_call_call_00[12]/);
    expect(await table.locator('tbody tr').count()).toBe(2);
    const keys = await table.locator('tbody code').allTextContents();
    expect(keys.sort()).toEqual(['ai_call_call_001', 'ai_call_call_002']);
    await expectText(page.getByRole('list', { name: 'Filters' }), /region = US/);
    await screenshot(page, 'events');
    await page.goBack();
    await page.waitForURL(`**/console/invoices/${invoiceId}`);
  });

  it("shows the customer's credit wallet: balance per grant and the ledger", async () => {
    await page.goto(`/console/customers/${customerId}/credits`);
    await page.getByRole('heading', { name: 'Credits: Acme Support Co', level: 1 }).waitFor();
    await expectText(
      page.getByRole('region', { name: 'Balance per grant' }),
      /Prepaid AI usage.*\$10,000\.00/,
    );
    await expectText(page.getByRole('region', { name: 'Ledger' }), /grant/i);
    await screenshot(page, 'credits');
  });

  it("exports the customer's credit ledger as CSV from its invoices panel", async () => {
    await page.goto(`/console/customers/${customerId}`);
    const exports = page.getByRole('group', { name: 'Export as CSV' }).first();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exports.getByRole('button', { name: 'Credit ledger' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`credit-ledger-${customerId}.csv`);
    const [header, ...rows] = readFileSync(await download.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(header.split(',').slice(4, 9)).toEqual([
      'grant_id',
      'kind',
      'currency',
      'amount',
      'grant_balance_after',
    ]);
    // The $10,000 grant, nothing drawn yet (the invoice is still a draft).
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(',acme,');
    expect(rows[0]).toContain(',GRANT,USD,10000.00,10000.00,');
  });

  it('downloads the invoice PDF and it reads like the invoice', async () => {
    await page.goto(`/console/invoices/${invoiceId}`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`draft-${invoiceId}.pdf`);
    const path = await download.path();
    const text = pdfText(readFileSync(path));
    expect(text).toContain('Test Org');
    expect(text).toContain('Acme Support Co');
    expect(text).toContain('Draft invoice');
    expect(text).toMatch(/US \/ resolved[\s\S]*\$2\.60/);
    expect(text).toMatch(/Prepaid credits applied[\s\S]*-\$21\.35/);
    expect(text).toMatch(/Amount due[\s\S]*\$0\.00/);

    // The "PDF" button opens the same document in a new tab (a blob URL: the key never goes in a URL).
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'PDF', exact: true }).click(),
    ]);
    expect(popup.url()).toMatch(/^blob:/);
    await popup.close();

    // The route itself: same bearer auth, no key → 401.
    const anonymous = await fetch(`${t.url}/v1/invoices/${invoiceId}.pdf`);
    expect(anonymous.status).toBe(401);
  });

  it('updates the draft invoice live after events are sent', async () => {
    await page.goto(`/console/customers/${customerId}`);
    const draft = page.getByRole('region', { name: /Current draft invoice/ });
    await expectText(draft.getByRole('status'), /Live/);
    await sendAiCall(t, customerId, 'call_007', 'APAC', 'escalated', 10);
    await t.app.workers.aggregator.drain();
    await expectText(draft.getByRole('row', { name: /APAC \/ escalated/ }), /10.*\$0\.90.*\$9\.00/);
    await screenshot(page, 'customer-live');
  });

  it('renders a finalized invoice with its number and due date', async () => {
    await t.gqlOk(`mutation($id: ID!) { finalizeInvoice(id: $id) { id } }`, { id: invoiceId });
    const response = await fetch(`${t.url}/v1/invoices/${invoiceId}.pdf`, {
      headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toMatch(/INV-\d{6}/);
    expect(text).toMatch(/DUE DATE\s+\w{3} \d{1,2}, \d{4}/);
    expect(text).toContain('Page 1 of 1');
  });

  it("shows a credit note on the invoice page and the balance it left on the customer's page", async () => {
    const lines = await t.gqlOk<{ invoice: { lines: Array<{ id: string }> } }>(
      `query($id: ID!) { invoice(id: $id) { lines { id } } }`,
      { id: invoiceId },
    );
    await t.gqlOk(`mutation($input: CreateCreditNoteInput!) { createCreditNote(input: $input) { number } }`, {
      input: {
        invoiceId,
        reason: 'Goodwill',
        refund: 'BALANCE',
        lines: [{ invoiceLineId: lines.invoice.lines[0].id, amount: '1.00' }],
      },
    });
    await page.goto(`/console/invoices/${invoiceId}`);
    await expectText(page.getByRole('region', { name: 'Credit notes' }), /CN-000001.*Goodwill.*\$1\.00/);
    await page.goto(`/console/customers/${customerId}`);
    await expectText(
      page.getByRole('region', { name: 'Balance and credit notes' }),
      /Balance: \$1\.00.*CN-000001/,
    );
  });
});
