import { pdfText } from '../browser/support/pdf-text';
import { TestApp } from '../support/test-app';
import {
  createContract,
  createCustomer,
  createFlatFee,
  createMeter,
  createPlan,
  createPricing,
  draftInvoice,
  sendEvent,
  type InvoiceResult,
} from '../support/billing-api';

/**
 * Credit notes (issue 17): partial credits by line on a finalized invoice, never above what is left, on their
 * own gap-free CN- sequence (also under parallel requests), a BALANCE refund spent by the next invoice before
 * prepaid credits, given back when that invoice is voided, and the PDF. Figures worked out by hand below.
 */
describe('credit notes', () => {
  let t: TestApp;
  let customerId: string;
  let contractId: string;
  let april: InvoiceResult;

  const CREATE = `mutation($input: CreateCreditNoteInput!) {
    createCreditNote(input: $input) {
      id number reason refund total currency
      invoice { id number } customer { id }
      lines { invoiceLineId position description quantity amount }
    }
  }`;
  interface Note {
    id: string;
    number: string;
    total: string;
    lines: Array<{ invoiceLineId: string; description: string; quantity: string | null; amount: string }>;
  }
  const create = (input: Record<string, unknown>) => t.gql<{ createCreditNote: Note }>(CREATE, { input });
  const lineId = (invoice: InvoiceResult, kind: string) => {
    const line = invoice.lines.find((l) => l.kind === kind) as unknown as { id?: string } | undefined;
    return line?.id as string;
  };

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-04-01T00:00:00Z');
    await createMeter(t, {
      code: 'SEATS_USED',
      displayName: 'Active users',
      eventName: 'active_users',
      aggregation: 'SUM',
      aggregationKey: 'users',
    });
    const usage = await createPricing(t, {
      name: 'Active users',
      meterCode: 'SEATS_USED',
      model: 'PER_UNIT',
      fallbackRate: '1.50',
    });
    const fee = await createFlatFee(t, 'Platform fee', '100');
    const planId = await createPlan(t, { name: 'Team', items: [{ pricingId: fee }, { pricingId: usage }] });
    customerId = await createCustomer(t, 'Globex', 'globex');
    contractId = await createContract(t, { customerId, planId, startDate: '2026-04-01' });
    t.clock.set('2026-04-10T06:00:00Z');
    const response = await sendEvent(t, {
      customer_id: 'globex',
      event_name: 'active_users',
      idempotency_key: 'april-users',
      timestamp: '2026-04-10T00:00:00Z',
      properties: { users: 40 },
    });
    expect(response.status).toBe(202);
    await t.app.workers.aggregator.drain();
    const draft = await draftInvoice(t, contractId);
    t.clock.set('2026-05-01T06:00:00Z');
    const data = await t.gqlOk<{ finalizeInvoice: InvoiceResult }>(
      `mutation($id: ID!) { finalizeInvoice(id: $id) { id number total lines { id kind description quantity amount } } }`,
      { id: draft.id },
    );
    april = data.finalizeInvoice;
    // Platform fee 100.00 (a full April) + 40 users × 1.50 = 60.00 → 160.00.
    expect(april.total).toBe('160.00');
  });
  afterAll(() => t.stop());

  it('credits part of two lines, by quantity and by amount, as CN-000001', async () => {
    // Usage by quantity: 10 of the line's 40 users → 60.00 × 10/40 = 15.00. Fee by amount: 25.00.
    // Total 15.00 + 25.00 = 40.00, to the customer's balance.
    const result = await create({
      invoiceId: april.id,
      reason: 'Outage credit',
      refund: 'BALANCE',
      lines: [
        { invoiceLineId: lineId(april, 'USAGE'), quantity: '10' },
        { invoiceLineId: lineId(april, 'FLAT_FEE'), amount: '25.00' },
      ],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data!.createCreditNote).toMatchObject({
      number: 'CN-000001',
      reason: 'Outage credit',
      refund: 'BALANCE',
      total: '40.00',
      currency: 'USD',
      invoice: { id: april.id },
      customer: { id: customerId },
      lines: [
        {
          invoiceLineId: lineId(april, 'USAGE'),
          description: 'Active users',
          quantity: '10',
          amount: '15.00',
        },
        {
          invoiceLineId: lineId(april, 'FLAT_FEE'),
          description: 'Platform fee',
          quantity: null,
          amount: '25.00',
        },
      ],
    });
    const balance = await t.gqlOk<{ customer: { balance: Array<{ currency: string; amount: string }> } }>(
      'query($id: ID!) { customer(id: $id) { balance { currency amount } } }',
      { id: customerId },
    );
    expect(balance.customer.balance).toEqual([{ currency: 'USD', amount: '40.00' }]);
  });

  it('refuses more than is left of a line, naming it, and takes no number for it', async () => {
    // The fee has 100.00 − 25.00 = 75.00 left: 75.01 is refused.
    const over = await create({
      invoiceId: april.id,
      reason: 'Too much',
      refund: 'NONE',
      lines: [{ invoiceLineId: lineId(april, 'FLAT_FEE'), amount: '75.01' }],
    });
    expect(over.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.lines.0.amount',
    });
    expect(over.errors?.[0]?.message).toContain('only 75.00');
    const both = await create({
      invoiceId: april.id,
      reason: 'Both',
      refund: 'NONE',
      lines: [{ invoiceLineId: lineId(april, 'FLAT_FEE'), amount: '1', quantity: '1' }],
    });
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.lines.0' });
    const draft = await draftInvoice(t, contractId);
    const onDraft = await create({
      invoiceId: draft.id,
      reason: 'Draft',
      refund: 'NONE',
      lines: [{ invoiceLineId: lineId(april, 'FLAT_FEE'), amount: '1' }],
    });
    expect(onDraft.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.invoiceId' });
  });

  it('never credits more than is left under parallel requests; numbers stay gap-free', async () => {
    // 75.00 left on the fee; five requests of 20.00 at once: three fit (60.00), the other two would exceed
    // 75.00 (80.00, 100.00) and are refused. 15.00 is left afterwards.
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        create({
          invoiceId: april.id,
          reason: `Parallel ${i}`,
          refund: 'NONE',
          lines: [{ invoiceLineId: lineId(april, 'FLAT_FEE'), amount: '20.00' }],
        }),
      ),
    );
    const ok = results.filter((r) => !r.errors).map((r) => r.data!.createCreditNote.number);
    const refused = results.filter((r) => r.errors).map((r) => r.errors![0].extensions?.field);
    expect(ok.sort()).toEqual(['CN-000002', 'CN-000003', 'CN-000004']);
    expect(refused).toEqual(['input.lines.0.amount', 'input.lines.0.amount']);
    const listed = await t.gqlOk<{ creditNotes: { nodes: Array<{ number: string; total: string }> } }>(
      'query($id: ID!) { creditNotes(invoiceId: $id) { nodes { number total } } }',
      { id: april.id },
    );
    // The test clock stands still, so ids (time-ordered) tie: compare the numbers as a set.
    expect(listed.creditNotes.nodes.map((n) => n.number).sort()).toEqual([
      'CN-000001',
      'CN-000002',
      'CN-000003',
      'CN-000004',
    ]);
    const full = await create({
      invoiceId: april.id,
      reason: 'Rest',
      refund: 'NONE',
      lines: [{ invoiceLineId: lineId(april, 'FLAT_FEE'), amount: '15.01' }],
    });
    expect(full.errors?.[0]?.message).toContain('only 15.00');
  });

  it('spends the balance on the next invoice before prepaid credits, and gives it back when that invoice is voided', async () => {
    // 100.00 of promotional credits. May: platform fee 100.00, no usage. The 40.00 balance pays first, the
    // credits cover the other 60.00, nothing is due; 100.00 − 60.00 = 40.00 of credits are left.
    await t.gqlOk(
      'mutation($c: ID!, $input: GrantPromotionalCreditsInput!) { grantPromotionalCredits(contractId: $c, input: $input) { id } }',
      { c: contractId, input: { amountCents: 10000 } },
    );
    const FIELDS = 'id status total balanceApplied creditsApplied amountDue creditBalanceRemaining';
    const may = (
      await t.gqlOk<{ draftInvoice: Record<string, string> }>(
        `query($id: ID!) { draftInvoice(contractId: $id) { ${FIELDS} } }`,
        { id: contractId },
      )
    ).draftInvoice;
    expect(may).toMatchObject({
      total: '100.00',
      balanceApplied: '40.00',
      creditsApplied: '60.00',
      amountDue: '0.00',
      creditBalanceRemaining: '40.00',
    });
    t.clock.set('2026-06-01T06:00:00Z');
    const finalized = (
      await t.gqlOk<{ finalizeInvoice: Record<string, string> }>(
        `mutation($id: ID!) { finalizeInvoice(id: $id) { ${FIELDS} } }`,
        { id: may.id },
      )
    ).finalizeInvoice;
    expect(finalized).toMatchObject({
      status: 'FINALIZED',
      balanceApplied: '40.00',
      creditsApplied: '60.00',
      amountDue: '0.00',
    });
    const balanceOf = async () =>
      (
        await t.gqlOk<{ customer: { balance: Array<{ amount: string }> } }>(
          'query($id: ID!) { customer(id: $id) { balance { amount } } }',
          { id: customerId },
        )
      ).customer.balance;
    expect(await balanceOf()).toEqual([]);
    await t.gqlOk('mutation($id: ID!) { voidInvoice(id: $id) { id } }', { id: may.id });
    expect(await balanceOf()).toEqual([{ amount: '40.00' }]);
  });

  it('renders CN-000001 as a PDF with the invoice layout', async () => {
    const listed = await t.gqlOk<{ creditNotes: { nodes: Array<{ id: string; number: string }> } }>(
      'query($id: ID!) { creditNotes(customerId: $id, first: 10) { nodes { id number } } }',
      { id: customerId },
    );
    const first = listed.creditNotes.nodes.find((n) => n.number === 'CN-000001')!;
    const response = await fetch(`${t.url}/v1/credit-notes/${first.id}.pdf`, {
      headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain('Credit note');
    expect(text).toContain('CN-000001');
    expect(text).toContain(`Credits ${april.number}: Outage credit`);
    expect(text).toContain('Total credited');
    expect(text).toContain('$40.00');
  });

  it('answers a repeated idempotency key with the first credit note, crediting nothing more', async () => {
    // The usage line had 60.00 − 15.00 = 45.00 left; 5.00 twice with one key credits 5.00 once.
    const input = {
      invoiceId: april.id,
      reason: 'Retry-safe',
      refund: 'NONE',
      idempotencyKey: 'cn-retry',
      lines: [{ invoiceLineId: lineId(april, 'USAGE'), amount: '5.00' }],
    };
    const first = await create(input);
    const again = await create(input);
    expect(first.data!.createCreditNote).toMatchObject({ number: 'CN-000005', total: '5.00' });
    expect(again.data!.createCreditNote.id).toBe(first.data!.createCreditNote.id);
    const other = await create({ ...input, reason: 'Something else' });
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'idempotencyKey' });
    // 45.00 − 5.00 = 40.00 left: 40.01 is refused.
    const over = await create({
      ...input,
      idempotencyKey: null,
      amount: undefined,
      lines: [{ invoiceLineId: lineId(april, 'USAGE'), amount: '40.01' }],
    });
    expect(over.errors?.[0]?.message).toContain('only 40.00');
  });
});
