import { TestApp } from '../support/test-app';
import { createContract, createCustomer, createFlatFee, createPlan } from '../support/billing-api';

/**
 * Money on the wire: every amount of an invoice, a credit balance and a payment is written with exactly its
 * currency's minor digits (USD "10.00", JPY "1500"), preciseAmount with its 12 decimal places, and rates and
 * quantities with the digits they have. Each currency gets the same scenario: a 1500 monthly fee, a one-time
 * charge whose unrounded amount has more digits than the currency, promotional credits and a payment.
 */
const INVOICE = `
  id status currency subtotal creditsApplied creditBalanceRemaining total amountDue amountPaid
  lines { kind quantity rate preciseAmount amount creditsApplied }
  payments { amount currency }
`;

const BALANCE = `query($customerId: ID!) {
  creditBalance(customerId: $customerId) {
    totals { currency granted used expired voided remaining }
    grants { granted used expired voided remaining grant { amount invoiceAmount } }
  }
}`;

const LEDGER = `query($customerId: ID!) {
  creditLedger(customerId: $customerId, first: 50) { nodes { kind currency amount grantBalanceAfter } }
}`;

const PAY = `mutation($id: ID!, $input: PayInvoiceInput!) {
  payInvoice(invoiceId: $id, input: $input) { payment { amount currency } invoice { amountPaid amountDue } }
}`;

interface Line {
  kind: string;
  quantity: string;
  rate: string | null;
  preciseAmount: string;
  amount: string;
  creditsApplied: string;
}

interface Invoice {
  id: string;
  status: string;
  currency: string;
  subtotal: string;
  creditsApplied: string;
  creditBalanceRemaining: string | null;
  total: string;
  amountDue: string;
  amountPaid: string;
  lines: Line[];
  payments: Array<{ amount: string; currency: string }>;
}

interface Scenario {
  currency: string;
  /** The one-time charge: unit price and quantity as sent, both kept as they are on the wire. */
  charge: { amount: string; quantity: string };
  /** Promotional credits, in minor units. */
  creditCents: number;
  payment: string;
  /** Every expected string, written out by hand. */
  expected: {
    feePrecise: string;
    fee: string;
    chargePrecise: string;
    charge: string;
    subtotal: string;
    credits: string;
    zero: string;
    dueBeforePayment: string;
    paid: string;
    dueAfterPayment: string;
  };
}

const SCENARIOS: Scenario[] = [
  {
    currency: 'USD',
    charge: { amount: '0.125', quantity: '3' }, // 0.375, rounded half-up once on the line
    creditCents: 1000,
    payment: '1000',
    expected: {
      feePrecise: '1500.000000000000',
      fee: '1500.00',
      chargePrecise: '0.375000000000',
      charge: '0.38',
      subtotal: '1500.38',
      credits: '10.00',
      zero: '0.00',
      dueBeforePayment: '1490.38',
      paid: '1000.00',
      dueAfterPayment: '490.38',
    },
  },
  {
    currency: 'JPY',
    charge: { amount: '12.5', quantity: '3' }, // 37.5 yen, rounded half-up to 38
    creditCents: 500, // JPY has no minor unit: 500 yen
    payment: '1000',
    expected: {
      feePrecise: '1500.000000000000',
      fee: '1500',
      chargePrecise: '37.500000000000',
      charge: '38',
      subtotal: '1538',
      credits: '500',
      zero: '0',
      dueBeforePayment: '1038',
      paid: '1000',
      dueAfterPayment: '38',
    },
  },
];

describe('Money on the wire', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.stop());

  describe.each(SCENARIOS)('$currency', ({ currency, charge, creditCents, payment, expected }) => {
    let customerId: string;
    let invoiceId: string;

    beforeAll(async () => {
      t.clock.set('2026-01-10T00:00:00Z');
      const feeId = await createFlatFee(t, `Platform fee ${currency}`, '1500');
      const planId = await createPlan(t, {
        name: `Money ${currency}`,
        currency,
        billingCycle: 'MONTHLY',
        items: [{ pricingId: feeId }],
      });
      customerId = await createCustomer(t, `Money ${currency} Co`);
      const contractId = await createContract(t, {
        customerId,
        planId,
        startDate: '2026-01-01',
        endDate: '2026-03-31',
        oneTimeCharges: [{ description: 'Data export', ...charge }],
      });
      await t.gqlOk(
        `mutation($id: ID!, $input: GrantPromotionalCreditsInput!) {
           grantPromotionalCredits(contractId: $id, input: $input) { id } }`,
        { id: contractId, input: { amountCents: creditCents, description: 'Welcome' } },
      );
      const invoices = await t.gqlOk<{ invoices: { nodes: Array<{ id: string; periodStart: string }> } }>(
        'query($c: ID!) { invoices(customerId: $c, first: 10) { nodes { id periodStart } } }',
        { c: customerId },
      );
      invoiceId = invoices.invoices.nodes.find((i) => i.periodStart === '2026-01-01T00:00:00.000Z')!.id;
      t.clock.set('2026-02-03T00:00:00Z');
      await t.gqlOk(`mutation($id: ID!) { finalizeInvoice(id: $id) { id } }`, { id: invoiceId });
    });

    const readInvoice = async () =>
      (
        await t.gqlOk<{ invoice: Invoice }>(`query($id: ID!) { invoice(id: $id) { ${INVOICE} } }`, {
          id: invoiceId,
        })
      ).invoice;

    it('writes every invoice amount with the minor digits, preciseAmount with 12 places', async () => {
      const invoice = await readInvoice();
      expect(invoice).toMatchObject({
        status: 'FINALIZED',
        currency,
        subtotal: expected.subtotal,
        total: expected.subtotal,
        creditsApplied: expected.credits,
        creditBalanceRemaining: expected.zero,
        amountDue: expected.dueBeforePayment,
        amountPaid: expected.zero,
        payments: [],
      });
      expect(invoice.lines.map((l) => [l.kind, l.quantity, l.rate, l.preciseAmount, l.amount])).toEqual([
        ['FLAT_FEE', '1', '1500', expected.feePrecise, expected.fee],
        ['ONE_TIME', charge.quantity, charge.amount, expected.chargePrecise, expected.charge],
      ]);
      // However the credits were spread over the lines, each share has the minor digits and they add up.
      const digits = currency === 'JPY' ? /^\d+$/ : /^\d+\.\d{2}$/;
      for (const line of invoice.lines) expect(line.creditsApplied).toMatch(digits);
      const cents = invoice.lines.reduce((sum, l) => sum + Number(l.creditsApplied.replace('.', '')), 0);
      expect(cents).toBe(creditCents);
    });

    it('writes the credit balance, the grant and its ledger with the minor digits', async () => {
      const { creditBalance } = await t.gqlOk<{
        creditBalance: { totals: unknown[]; grants: unknown[] };
      }>(BALANCE, { customerId });
      expect(creditBalance.totals).toEqual([
        {
          currency,
          granted: expected.credits,
          used: expected.credits,
          expired: expected.zero,
          voided: expected.zero,
          remaining: expected.zero,
        },
      ]);
      expect(creditBalance.grants).toEqual([
        {
          granted: expected.credits,
          used: expected.credits,
          expired: expected.zero,
          voided: expected.zero,
          remaining: expected.zero,
          grant: { amount: expected.credits, invoiceAmount: null },
        },
      ]);
      const { creditLedger } = await t.gqlOk<{
        creditLedger: {
          nodes: Array<{ kind: string; currency: string; amount: string; grantBalanceAfter: string }>;
        };
      }>(LEDGER, { customerId });
      const grant = creditLedger.nodes.find((e) => e.kind === 'GRANT');
      expect(grant).toEqual({
        kind: 'GRANT',
        currency,
        amount: expected.credits,
        grantBalanceAfter: expected.credits,
      });
      const last = creditLedger.nodes[0]; // newest first: the deduction that emptied the grant
      expect(last).toMatchObject({ kind: 'DEDUCTION', grantBalanceAfter: expected.zero });
      for (const entry of creditLedger.nodes) {
        expect(entry.amount).toMatch(currency === 'JPY' ? /^-?\d+$/ : /^-?\d+\.\d{2}$/);
      }
    });

    it('writes the payment and the amounts it changes with the minor digits', async () => {
      const { payInvoice } = await t.gqlOk<{
        payInvoice: {
          payment: { amount: string; currency: string };
          invoice: { amountPaid: string; amountDue: string };
        };
      }>(PAY, { id: invoiceId, input: { amount: payment, reference: `money-${currency}` } });
      expect(payInvoice).toEqual({
        payment: { amount: expected.paid, currency },
        invoice: { amountPaid: expected.paid, amountDue: expected.dueAfterPayment },
      });
      const invoice = await readInvoice();
      expect(invoice.payments).toEqual([{ amount: expected.paid, currency }]);
      expect(invoice).toMatchObject({ amountPaid: expected.paid, amountDue: expected.dueAfterPayment });
    });
  });
});
