import { TestApp } from '../support/test-app';
import { pdfText } from '../browser/support/pdf-text';
import {
  createContract,
  createCustomer,
  createMeter,
  createPlan,
  createPricing,
  invoicesOf,
} from '../support/billing-api';

/**
 * `endDate` is the last day covered (inclusive) while `periodEnd` is exclusive: a contract Sep 1 – Sep 15
 * has one period, [Sep 1 00:00, Sep 16 00:00). The API keeps both models; the PDF shows the last day
 * covered, Sep 15, like the contract.
 */
describe('a contract’s last day and its last period’s exclusive end', () => {
  let t: TestApp;
  let customerId: string;
  let contractId: string;

  beforeAll(async () => {
    t = await TestApp.start();
    t.clock.set('2026-09-03T12:00:00Z');
    await createMeter(t, { code: 'CALLS', displayName: 'Calls', eventName: 'call', aggregation: 'COUNT' });
    const pricingId = await createPricing(t, {
      name: 'Calls',
      meterCode: 'CALLS',
      model: 'PER_UNIT',
      fallbackRate: '1',
    });
    const planId = await createPlan(t, { name: 'Calls', items: [{ pricingId }] });
    customerId = await createCustomer(t, 'Acme', 'acme');
    contractId = await createContract(t, {
      customerId,
      planId,
      startDate: '2026-09-01',
      endDate: '2026-09-15',
    });
  });
  afterAll(() => t.stop());

  it('has endDate on the last day and the last period ending at 00:00 the day after', async () => {
    const { contract } = await t.gqlOk<{ contract: { endDate: string; evergreen: boolean } }>(
      'query($id: ID!) { contract(id: $id) { endDate evergreen } }',
      { id: contractId },
    );
    expect(contract).toEqual({ endDate: '2026-09-15T00:00:00.000Z', evergreen: false });
    const invoices = await invoicesOf(t, customerId);
    expect(invoices.map((i) => [i.periodStart, i.periodEnd])).toEqual([
      ['2026-09-01T00:00:00.000Z', '2026-09-16T00:00:00.000Z'],
    ]);
  });

  it('shows the last day covered on the PDF', async () => {
    const [invoice] = await invoicesOf(t, customerId);
    const response = await fetch(`${t.url}/v1/invoices/${invoice.id}.pdf`, {
      headers: { authorization: `Bearer ${t.apiKey}` },
    });
    expect(response.status).toBe(200);
    const text = pdfText(Buffer.from(await response.arrayBuffer()));
    expect(text).toContain('Sep 1, 2026 – Sep 15, 2026');
    expect(text).not.toContain('Sep 16, 2026');
  });

  it('names both models in the schema descriptions', async () => {
    const { __type: invoice } = await t.gqlOk<{
      __type: { fields: Array<{ name: string; description: string }> };
    }>('{ __type(name: "Invoice") { fields { name description } } }');
    const { __type: contract } = await t.gqlOk<{
      __type: { fields: Array<{ name: string; description: string }> };
    }>('{ __type(name: "Contract") { fields { name description } } }');
    expect(invoice.fields.find((f) => f.name === 'periodEnd')!.description).toMatch(/^Exclusive/);
    expect(contract.fields.find((f) => f.name === 'endDate')!.description).toMatch(
      /^The last day covered, inclusive/,
    );
  });
});
