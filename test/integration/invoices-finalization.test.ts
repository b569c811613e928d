import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  draftInvoice,
  finalizeInvoice,
  INVOICE_FIELDS,
  invoicesOf,
  sendEvent,
  summarize,
  type InvoiceResult,
} from '../support/billing-api';

/** Finalization freezes an invoice (late events for its period are rejected), evergreen extension, void. */
describe('Invoice finalization', () => {
  let t: TestApp;
  let planId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-10-05T00:00:00Z');
    await createMeter(t, {
      code: 'STORAGE',
      displayName: 'Storage GB-hours',
      eventName: 'storage',
      aggregation: 'SUM',
      aggregationKey: 'gb_hours',
      groupKeys: ['region'],
      // Signed: the test corrects usage with a negative event.
      allowNegative: true,
    });
    const pricingId = await createPricing(t, {
      name: 'Storage',
      meterCode: 'STORAGE',
      model: 'PER_UNIT',
      fallbackRate: '0.000002',
    });
    planId = await createPlan(t, { name: 'Storage', netTermsDays: 30, items: [{ pricingId }] });
  });
  afterAll(() => t.stop());

  const storage = (customer: string, key: string, at: string, gbHours: string) =>
    sendEvent(t, {
      customer_id: customer,
      event_name: 'storage',
      idempotency_key: key,
      timestamp: at,
      properties: { region: 'EU', gb_hours: gbHours },
    });

  it('freezes the invoice at period end + grace; later events for that period are rejected', async () => {
    const customerId = await createCustomer(t, 'Evergreen Co', 'evergreen');
    const contractId = await createContract(t, { customerId, planId, startDate: '2026-10-01' });
    // Evergreen: the current and the next period are pre-generated.
    expect((await invoicesOf(t, customerId)).map((i) => i.periodStart)).toEqual([
      '2026-11-01T00:00:00.000Z',
      '2026-10-01T00:00:00.000Z',
    ]);
    // Tiny rates and fractional quantities: 0.1 + 0.2 GB-hours is 0.3, not 0.30000000000000004.
    expect((await storage('evergreen', 'a', '2026-10-03T10:00:00Z', '0.1')).status).toBe(202);
    expect((await storage('evergreen', 'b', '2026-10-04T10:00:00Z', '0.2')).status).toBe(202);
    expect((await storage('evergreen', 'c', '2026-10-04T11:00:00Z', '2500000')).status).toBe(202);
    await t.app.workers.aggregator.drain();
    const draft = await draftInvoice(t, contractId);
    expect(summarize(draft.lines)).toEqual([
      'Storage GB-hours - EU | 2500000.3 × 0.000002 = 5.00 (FALLBACK)',
    ]);
    expect(draft.lines[0].preciseAmount).toBe('5.000000600000');

    // Past days are read through a cache; a late event on one of them is still seen at once.
    expect((await storage('evergreen', 'late-open', '2026-10-03T12:00:00Z', '500000')).status).toBe(202);
    await t.app.workers.aggregator.drain();
    expect((await draftInvoice(t, contractId)).total).toBe('6.00');
    expect((await storage('evergreen', 'late-open-2', '2026-10-03T12:30:00Z', '-500000')).status).toBe(202);
    await t.app.workers.aggregator.drain();
    expect((await draftInvoice(t, contractId)).total).toBe('5.00');

    // Grace not over: nothing happens; then the worker finalizes October and extends the schedule.
    t.clock.set('2026-11-01T23:59:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    expect(await invoicesOf(t, customerId, 'FINALIZED')).toEqual([]);
    t.clock.set('2026-11-02T00:30:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    const all = await invoicesOf(t, customerId);
    expect(all.map((i) => [i.periodStart.slice(0, 10), i.status, i.number])).toEqual([
      ['2026-12-01', 'DRAFT', null],
      ['2026-11-01', 'DRAFT', null],
      ['2026-10-01', 'FINALIZED', 'INV-000001'],
    ]);
    const october = all[2];
    expect(october).toMatchObject({
      issuedAt: '2026-11-02T00:30:00.000Z',
      dueDate: '2026-12-02T00:30:00.000Z',
      subtotal: '5.00',
      total: '5.00',
      amountDue: '5.00',
    });
    expect(october.lines).toEqual(draft.lines);

    // A late event for October is refused; November is still open.
    const late = await storage('evergreen', 'late', '2026-10-20T10:00:00Z', '1000000');
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ status: 'rejected', error: { code: 'PERIOD_CLOSED' } });
    expect((await storage('evergreen', 'nov', '2026-11-01T10:00:00Z', '1000000')).status).toBe(202);
    await t.app.workers.aggregator.drain();

    // Frozen: the finalized invoice reads the same, and finalizing again changes nothing.
    const again = await finalizeInvoice(t, october.id);
    expect(again).toEqual(october);
    const read = await t.gqlOk<{ invoice: InvoiceResult }>(
      `query($id: ID!) { invoice(id: $id) { ${INVOICE_FIELDS} } }`,
      {
        id: october.id,
      },
    );
    expect(read.invoice).toEqual(october);
    expect((await draftInvoice(t, contractId)).total).toBe('2.00');
  });

  it('finalizes early on request, voids drafts and finalized invoices, never a void one again', async () => {
    t.clock.set('2026-11-10T00:00:00Z');
    const customerId = await createCustomer(t, 'Void Co', 'void-co');
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-11-01',
      endDate: '2027-01-31',
    });
    expect((await storage('void-co', 'v1', '2026-11-05T10:00:00Z', '500000')).status).toBe(202);
    await t.app.workers.aggregator.drain();

    const [january, december, november] = await invoicesOf(t, customerId);
    const early = await finalizeInvoice(t, november.id);
    expect(early).toMatchObject({
      status: 'FINALIZED',
      number: 'INV-000002',
      total: '1.00',
      issuedAt: '2026-11-10T00:00:00.000Z',
    });
    expect((await draftInvoice(t, contractId)).id).toBe(november.id);

    const voidMutation = `mutation($id: ID!) { voidInvoice(id: $id) { id status number total } }`;
    const voided = await t.gqlOk<{ voidInvoice: Record<string, unknown> }>(voidMutation, { id: november.id });
    expect(voided.voidInvoice).toEqual({
      id: november.id,
      status: 'VOID',
      number: 'INV-000002',
      total: '1.00',
    });
    await t.gqlOk(voidMutation, { id: december.id });

    const refinalize = await t.gql(`mutation($id: ID!) { finalizeInvoice(id: $id) { id } }`, {
      id: december.id,
    });
    expect(refinalize.errors?.[0].extensions?.code).toBe('CONFLICT');
    t.clock.set('2027-02-05T00:00:00Z');
    await t.app.workers.invoiceFinalizer.drain();
    const statuses = (await invoicesOf(t, customerId)).map((i) => [
      i.periodStart.slice(0, 10),
      i.status,
      i.number,
    ]);
    // Numbers 3.. also went to the evergreen contract's periods finalized in the same run.
    expect(statuses).toEqual([
      ['2027-01-01', 'FINALIZED', expect.stringMatching(/^INV-00000[3-9]$/)],
      ['2026-12-01', 'VOID', null],
      ['2026-11-01', 'VOID', 'INV-000002'],
    ]);
    expect(january.status).toBe('DRAFT');
  });

  it('answers NOT_FOUND for unknown invoices and contracts', async () => {
    const missing = await t.gql('query { invoice(id: "inv_missing") { id } }');
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const missingContract = await t.gql('query { draftInvoice(contractId: "ctr_missing") { id } }');
    expect(missingContract.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
