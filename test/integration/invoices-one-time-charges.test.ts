import { TestApp } from '../support/test-app';
import {
  CREATE_CONTRACT,
  createContract,
  createCustomer,
  createFlatFee,
  createPlan,
  finalizeInvoice,
  invoicesOf,
  type InvoiceResult,
} from '../support/billing-api';

/** createContract's one-time charges: checked input, billed once in full on their period, frozen with it. */
describe('One-time charges on contracts', () => {
  let t: TestApp;
  let planId: string;
  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-01-10T00:00:00Z');
    const platform = await createFlatFee(t, 'Platform fee', '100');
    planId = await createPlan(t, {
      name: 'Platform',
      netTermsDays: 30,
      billingCycle: 'MONTHLY',
      items: [{ pricingId: platform }],
    });
  });
  afterAll(() => t.stop());

  /** A Q1 2026 contract (last day March 31) for a new customer. */
  const q1 = async (name: string, oneTimeCharges: unknown[]) => {
    const customerId = await createCustomer(t, name);
    const input = { customerId, planId, startDate: '2026-01-01', endDate: '2026-03-31', oneTimeCharges };
    return {
      customerId,
      result: await t.gql<{ createContract: { id: string } }>(CREATE_CONTRACT, { input }),
    };
  };

  const byMonth = (invoices: InvoiceResult[]) =>
    Object.fromEntries(
      invoices.map((i) => [
        i.periodStart.slice(0, 7),
        i.lines.map((l) => `${l.kind} ${l.description} ${l.quantity} × ${l.rate} = ${l.amount}`),
      ]),
    );

  it.each([
    [{ description: 'Setup', amount: '-1' }, 'input.oneTimeCharges.0.amount', 'must be zero or more'],
    [
      { description: 'Setup', amount: '1.0000000000001' },
      'input.oneTimeCharges.0.amount',
      '12 decimal places',
    ],
    [
      { description: 'Setup', amount: '10', quantity: '0' },
      'input.oneTimeCharges.0.quantity',
      'greater than zero',
    ],
    [{ description: '  ', amount: '10' }, 'input.oneTimeCharges.0.description', 'must not be empty'],
    [
      { description: 'Setup', amount: '10', chargeDate: '2025-12-31T23:59:59Z' },
      'input.oneTimeCharges.0.chargeDate',
      'within the contract term',
    ],
    [
      { description: 'Setup', amount: '10', chargeDate: '2026-04-01T00:00:00Z' },
      'input.oneTimeCharges.0.chargeDate',
      'within the contract term',
    ],
  ])('refuses %j naming %s, creating nothing', async (charge, field, message) => {
    const { customerId, result } = await q1(`Bad ${field} ${JSON.stringify(charge)}`, [charge]);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(result.errors?.[0].message).toContain(message);
    expect(await invoicesOf(t, customerId)).toEqual([]);
  });

  it('bills each charge once, in full, on the period holding its date; the contract lists them', async () => {
    const { customerId, result } = await q1('Initech', [
      { description: 'Onboarding', amount: '250' },
      { description: 'Training day', amount: '75.5', quantity: '2', chargeDate: '2026-02-14T10:00:00Z' },
      // The last day is covered up to its end.
      { description: 'Data export', amount: '0.125', quantity: '3', chargeDate: '2026-03-31T23:00:00Z' },
    ]);
    expect(result.errors).toBeUndefined();
    const contractId = result.data!.createContract.id;
    const { contract } = await t.gqlOk<{ contract: { oneTimeCharges: unknown[] } }>(
      'query($id: ID!) { contract(id: $id) { oneTimeCharges { description amount quantity chargeDate } } }',
      { id: contractId },
    );
    expect(contract.oneTimeCharges).toEqual([
      // Without a chargeDate, the contract's start.
      { description: 'Onboarding', amount: '250', quantity: '1', chargeDate: '2026-01-01T00:00:00.000Z' },
      { description: 'Training day', amount: '75.5', quantity: '2', chargeDate: '2026-02-14T10:00:00.000Z' },
      { description: 'Data export', amount: '0.125', quantity: '3', chargeDate: '2026-03-31T23:00:00.000Z' },
    ]);
    const invoices = await invoicesOf(t, customerId);
    expect(byMonth(invoices)).toEqual({
      '2026-01': ['FLAT_FEE Platform fee 1 × 100 = 100.00', 'ONE_TIME Onboarding 1 × 250 = 250.00'],
      '2026-02': ['FLAT_FEE Platform fee 1 × 100 = 100.00', 'ONE_TIME Training day 2 × 75.5 = 151.00'],
      // 0.375 rounded half-up once, on the line.
      '2026-03': ['FLAT_FEE Platform fee 1 × 100 = 100.00', 'ONE_TIME Data export 3 × 0.125 = 0.38'],
    });
    const february = invoices.find((i) => i.periodStart.startsWith('2026-02'))!;
    expect(february.lines[1]).toMatchObject({
      preciseAmount: '151.000000000000',
      serviceFrom: '2026-02-14T10:00:00.000Z',
      serviceTo: '2026-02-14T10:00:00.000Z',
    });
    expect(february).toMatchObject({ subtotal: '251.00', total: '251.00', amountDue: '251.00' });
  });

  it('freezes the charge with the invoice at finalization', async () => {
    const customerId = await createCustomer(t, 'Globex');
    const contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-01-01',
      endDate: '2026-03-31',
      oneTimeCharges: [{ description: 'Setup', amount: '300' }],
    });
    const january = (await invoicesOf(t, customerId)).find((i) => i.periodStart.startsWith('2026-01'))!;
    t.clock.set('2026-02-03T00:00:00Z');
    const finalized = await finalizeInvoice(t, january.id);
    expect(finalized).toMatchObject({
      status: 'FINALIZED',
      subtotal: '400.00',
      total: '400.00',
      amountDue: '400.00',
    });
    expect(finalized.lines.map((l) => [l.kind, l.description, l.amount])).toEqual([
      ['FLAT_FEE', 'Platform fee', '100.00'],
      ['ONE_TIME', 'Setup', '300.00'],
    ]);
    const stored = (await t.app.db.query(
      'SELECT kind, pricing_id AS pricingId, amount FROM invoice_lines WHERE invoice_id = ? ORDER BY position',
      [january.id],
    )) as Array<{ kind: string; pricingId: string | null; amount: string }>;
    expect(stored[1]).toEqual({ kind: 'ONE_TIME', pricingId: null, amount: '300.0000' });

    // The frozen invoice no longer reads the contract's charges: deleting them changes nothing on it.
    await t.app.db.query('DELETE FROM contract_one_time_charges WHERE contract_id = ?', [contractId]);
    const again = (await invoicesOf(t, customerId)).find((i) => i.id === january.id)!;
    expect(again.lines.map((l) => l.kind)).toEqual(['FLAT_FEE', 'ONE_TIME']);
    expect(again.total).toBe('400.00');
  });
});
