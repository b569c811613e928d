import { agreementPdf, type AgreementBlock } from '../support/agreement-pdf';
import { gqlOwnConnection, readDraft, uploadDocument } from '../support/contract-documents-api';
import { createExtractionCatalog } from '../support/extraction-catalog';
import { TestApp } from '../support/test-app';

/**
 * Contract Extraction from born-digital agreements generated here with pdfkit: each term in the forms
 * agreements write it, next to the numbers that are not terms (list prices, signature and document dates,
 * the vendor's own e-mail, a renewal clause, an amendment that changes a rate). The vendor is this
 * organization ("Test Org"); the catalog is test/support/extraction-catalog.ts.
 */
describe('Contract Extraction: reading born-digital agreements', () => {
  let t: TestApp;
  let voicePlan: string;
  let tokenPlan: string;
  let voicePricing: string;
  let tokenPricing: string;
  /** Generated once: pdfkit stamps each render with its own creation date and id. */
  let orderFormPdf: Buffer;

  beforeAll(async () => {
    t = await TestApp.start();
    orderFormPdf = await agreementPdf(orderForm);
    ({ voicePlan, tokenPlan, voicePricing, tokenPricing } = await createExtractionCatalog(t));
  });
  afterAll(() => t?.app.stop());

  /** An order form: label/value rows, a rate table with list prices beside negotiated ones, an amendment. */
  const orderForm: AgreementBlock[] = [
    {
      cells: [
        [72, 'Test Org, Inc.'],
        [250, 'Order Form TO-2025-7'],
        [400, 'Document date: March 3, 2025'],
      ],
    },
    { text: 'ORDER FORM', size: 14 },
    {
      text: 'This Order Form is entered into between Test Org, Inc. ("Vendor") and the customer identified below ("Customer").',
    },
    {
      cells: [
        [72, 'Customer legal name'],
        [230, 'Acme Robotics, Inc.'],
      ],
    },
    {
      cells: [
        [72, 'Billing address'],
        [230, '12 Foundry Road, Suite 4'],
      ],
    },
    { cells: [[230, 'Springfield, IL 62701']] },
    {
      cells: [
        [72, 'Billing email'],
        [230, 'ap@acmerobotics.example'],
      ],
    },
    {
      cells: [
        [72, 'Technical contact'],
        [230, 'jane.roe@acmerobotics.example'],
      ],
    },
    {
      cells: [
        [72, 'Pricing plan'],
        [230, 'Voice Suite (contact center edition)'],
      ],
    },
    {
      cells: [
        [72, 'Subscription start date'],
        [230, 'April 1st, 2025'],
      ],
    },
    {
      cells: [
        [72, 'Initial term'],
        [230, 'twenty-four (24) months'],
      ],
    },
    {
      cells: [
        [72, 'Billing cycle'],
        [230, 'Quarterly, in arrears'],
      ],
    },
    {
      cells: [
        [72, 'Payment terms'],
        [230, 'Net 45'],
      ],
    },
    {
      cells: [
        [72, 'Payment method'],
        [230, 'Wire transfer against invoice (remit to ar@testorg.example)'],
      ],
    },
    {
      cells: [
        [72, 'Currency'],
        [230, 'USD'],
      ],
    },
    {
      text: 'Prepaid credits. Customer purchases a prepaid commitment of $20,000.00 with a 25% bonus, expiring twelve (12) months from the Subscription Start Date.',
    },
    {
      cells: [
        [72, 'Region'],
        [170, 'Tier'],
        [300, 'List price'],
        [430, 'Negotiated rate'],
      ],
    },
    {
      cells: [
        [72, 'NA'],
        [170, 'premium'],
        [300, '$0.80'],
        [430, '$0.65'],
      ],
    },
    {
      cells: [
        [72, 'EMEA'],
        [170, 'standard'],
        [300, '$0.50'],
        [430, '$0.50'],
      ],
    },
    {
      text: 'Renewal. After the initial term this Order Form renews for successive twelve (12) month periods.',
    },
    { text: 'Amendment No. 1. From the start of the term the NA premium rate is $0.60 per minute.' },
    {
      cells: [
        [72, 'Signed: Test Org, Inc.'],
        [320, 'Signed: Acme Robotics, Inc.'],
      ],
    },
    {
      cells: [
        [72, 'Date: March 28, 2025'],
        [320, 'Date: March 30, 2025'],
      ],
    },
  ];

  it('reads every term of an order form, with evidence, and ignores the numbers that are not terms', async () => {
    const upload = await uploadDocument(t, orderFormPdf, 'application/pdf', { filename: 'acme.pdf' });
    expect(upload.status).toBe(202);
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document).toMatchObject({
      status: 'DONE',
      pages: 1,
      filename: 'acme.pdf',
      contentType: 'application/pdf',
    });
    expect(draft.source).toBe('DOCUMENT');
    expect(draft.customer).toMatchObject({
      proposedName: 'Acme Robotics, Inc.',
      // The accounts-payable address, not the technical contact's nor the vendor's remittance address.
      proposedEmail: 'ap@acmerobotics.example',
    });
    // Start from the labeled start date, not the document date (March 3) nor the signatures (March 28/30).
    expect(draft.contractStart).toBe('2025-04-01');
    // 2025-04-01 + 24 months = 2027-04-01, minus one day (inclusive) = 2027-03-31; renewal ignored.
    expect(draft.contractEnd).toBe('2027-03-31');
    expect(draft.billingCycle).toBe('QUARTERLY');
    expect(draft.paymentTermsDays).toBe(45);
    expect(draft.autoPay).toBe(false);
    expect(draft.currency).toBe('USD');
    expect(draft.plan?.planId).toBe(voicePlan);
    // $20,000 paid with a 25% bonus: 20,000 × 1.25 = 25,000.00 of credits; expiring 12 months from
    // 2025-04-01 → 2026-03-31 (inclusive).
    expect(draft.prepaidCredits).toEqual({
      grantAmount: '25000.00',
      invoiceAmount: '20000.00',
      expiresOn: '2026-03-31',
    });
    // NA premium: negotiated $0.65 (not the $0.80 list price), then the amendment's $0.60 wins.
    // EMEA standard at $0.50 equals the rate card: no override.
    expect(draft.rateOverrides).toEqual([
      {
        pricingId: voicePricing,
        dimensions: { region: 'NA', tier: 'premium' },
        rate: '0.6',
        listRate: '0.8',
      },
    ]);
    const evidence = Object.fromEntries(draft.document!.evidence.map((e) => [e.field, e]));
    expect(evidence.contractStart).toMatchObject({
      page: 1,
      text: expect.stringContaining('April 1st, 2025'),
    });
    expect(evidence.contractStart.confidence).toBeGreaterThanOrEqual(0.9);
    expect(evidence['rates.0'].text).toContain('NA premium rate is $0.60');
    expect(evidence['customer.billingEmail'].box.w).toBeGreaterThan(0);
    expect(evidence.paymentTermsDays.text).toContain('Net 45');
  });

  it('confirms the document draft into a contract with its overrides and credits', async () => {
    const upload = await uploadDocument(t, orderFormPdf, 'application/pdf');
    // The same bytes: the same draft.
    expect(upload.body.duplicate).toBe(true);
    const confirmed = await gqlOwnConnection<{
      confirmContractDraft: { status: string; confirmedContractId: string; confirmedCustomerId: string };
    }>(
      t,
      'mutation($id: ID!) { confirmContractDraft(id: $id) { status confirmedContractId confirmedCustomerId } }',
      { id: upload.body.draftId },
    );
    expect(confirmed.confirmContractDraft.status).toBe('CONFIRMED');
    const data = await gqlOwnConnection<{
      contract: {
        startDate: string;
        endDate: string;
        billingCycle: string;
        paymentTermsDays: number;
        autoPay: boolean;
        plan: { id: string };
        customer: { name: string };
        rateOverrides: Array<{ meterCode: string; dimensions: Record<string, string>; rate: string }>;
      };
      creditBalance: {
        grants: Array<{ granted: string; expiresAt: string | null; grant: { invoiceAmount: string | null } }>;
      };
    }>(
      t,
      `query($id: ID!, $customerId: ID!) {
        contract(id: $id) { startDate endDate billingCycle paymentTermsDays autoPay plan { id } customer { name }
          rateOverrides { meterCode dimensions rate } }
        creditBalance(customerId: $customerId) { grants { granted expiresAt grant { invoiceAmount } } }
      }`,
      {
        id: confirmed.confirmContractDraft.confirmedContractId,
        customerId: confirmed.confirmContractDraft.confirmedCustomerId,
      },
    );
    expect(data.contract).toMatchObject({
      startDate: '2025-04-01T00:00:00.000Z',
      // The inclusive last day as the contract stores it (as for Salesforce drafts).
      endDate: '2027-03-31T00:00:00.000Z',
      billingCycle: 'QUARTERLY',
      paymentTermsDays: 45,
      autoPay: false,
      plan: { id: voicePlan },
      customer: { name: 'Acme Robotics, Inc.' },
      rateOverrides: [{ meterCode: 'VOICE_MIN', dimensions: { region: 'NA', tier: 'premium' }, rate: '0.6' }],
    });
    expect(data.creditBalance.grants).toHaveLength(1);
    expect(data.creditBalance.grants[0].granted).toBe('25000.00');
    expect(data.creditBalance.grants[0].grant.invoiceAmount).toBe('20000.00');
    // Usable through the last day, 2026-03-31.
    expect(data.creditBalance.grants[0].expiresAt?.slice(0, 10)).toBe('2026-03-31');
  });

  /** A prose letter: rates in sentences, a card auto-charge, "within … days", a welcome credit, a rolling term. */
  const letter = (start: string, extra: AgreementBlock[] = []): AgreementBlock[] => [
    { text: 'Test Org, Inc. - 1 Market Street, San Francisco, CA 94105' },
    { text: 'February 2, 2025' },
    { text: 'Globex Learning Ltd' },
    {
      text: 'This letter agreement sets out the terms on which Test Org, Inc. ("Test Org") will provide Globex Learning Ltd ("Customer") with the Token Starter plan.',
    },
    {
      text: `1. Term. The subscription term begins on ${start} and is rolling, with no fixed end date; either party may terminate on thirty (30) days notice.`,
    },
    {
      text: '2. Pricing. Test Org has agreed to the following discounted rates: alpha-1 at $0.004 per 1,000 tokens. Model beta-2 is charged at the standard rate card.',
    },
    {
      text: '3. Welcome credit. Test Org will apply a one-time welcome credit of $300.00 which expires on June 30, 2025 if unused.',
    },
    {
      text: '4. Billing and payment. Usage is billed monthly in arrears. Invoices are payable within thirty-five (35) days of the invoice date. Customer authorizes automatic charges to the corporate card on file. Invoices will be sent to invoices@globex.example.',
    },
    { text: 'Questions? Contact your account executive, sam.lee@testorg.example.' },
    ...extra,
  ];

  it('reads a prose letter: evergreen term, rates in sentences, auto-pay, promotional credit', async () => {
    const upload = await uploadDocument(t, await agreementPdf(letter('March 1st, 2025')), 'application/pdf');
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document?.status).toBe('DONE');
    expect(draft.customer.proposedName).toBe('Globex Learning Ltd');
    expect(draft.customer.proposedEmail).toBe('invoices@globex.example');
    expect(draft.contractStart).toBe('2025-03-01');
    expect(draft.contractEnd).toBeNull();
    expect(draft.evergreen).toBe(true);
    expect(draft.paymentTermsDays).toBe(35);
    expect(draft.billingCycle).toBe('MONTHLY');
    expect(draft.autoPay).toBe(true);
    expect(draft.plan?.planId).toBe(tokenPlan);
    // alpha-1 $0.004 differs from the card's 0.005; beta-2 "standard rate card" is no override.
    expect(draft.rateOverrides).toEqual([
      { pricingId: tokenPricing, dimensions: { model: 'alpha-1' }, rate: '0.004', listRate: '0.005' },
    ]);
    // A free credit: granted without a commitment invoice.
    expect(draft.prepaidCredits).toEqual({
      grantAmount: '300.00',
      invoiceAmount: '0.00',
      expiresOn: '2025-06-30',
    });
  });

  it.each([
    ['2025-05-01', '2025-05-01'],
    ['May 1, 2025', '2025-05-01'],
    ['1 May 2025', '2025-05-01'],
    ['the 1st day of May, 2025', '2025-05-01'],
    ['05/01/2025', '2025-05-01'],
    ['Sept. 15, 2025', '2025-09-15'],
  ])('reads the start date written as "%s"', async (written, iso) => {
    const upload = await uploadDocument(t, await agreementPdf(letter(written)), 'application/pdf');
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.contractStart).toBe(iso);
  });

  it('reads a labeled credits block with a bonus, a date range and an exception to the standard rates', async () => {
    const blocks: AgreementBlock[] = [
      {
        text: 'Under this agreement Test Org, Inc. will provide Stark Freight Ltd with the Voice Suite service.',
      },
      {
        cells: [
          [72, 'Effective'],
          [230, 'July 1st, 2025 through June 30th, 2026'],
        ],
      },
      {
        cells: [
          [72, 'Prepayment'],
          [230, '$8,000.00'],
        ],
      },
      {
        cells: [
          [72, 'Bonus'],
          [230, '5%'],
        ],
      },
      {
        cells: [
          [72, 'Credits expire'],
          [230, 'June 30th, 2026'],
        ],
      },
      {
        text: 'Usage is charged at the standard rate card, except that EMEA premium minutes are charged at $0.85 per minute.',
      },
      {
        text: 'Usage is invoiced quarterly. Invoices are due upon receipt and are sent to payables@starkfreight.example.',
      },
      { text: 'Signed on June 12, 2025.' },
    ];
    const upload = await uploadDocument(t, await agreementPdf(blocks), 'application/pdf');
    const draft = await readDraft(t, upload.body.draftId!);
    // No ("Customer") definition: the party the service is provided to.
    expect(draft.customer.proposedName).toBe('Stark Freight Ltd');
    expect(draft.customer.proposedEmail).toBe('payables@starkfreight.example');
    expect(draft.contractStart).toBe('2025-07-01');
    expect(draft.contractEnd).toBe('2026-06-30');
    expect(draft.billingCycle).toBe('QUARTERLY');
    expect(draft.paymentTermsDays).toBe(0);
    expect(draft.plan?.planId).toBe(voicePlan);
    // $8,000.00 paid with a 5% bonus: 8,000 × 1.05 = 8,400.00 of credits.
    expect(draft.prepaidCredits).toEqual({
      grantAmount: '8400.00',
      invoiceAmount: '8000.00',
      expiresOn: '2026-06-30',
    });
    // Standard rates except EMEA premium: $0.85 against the card's 0.90.
    expect(draft.rateOverrides).toEqual([
      {
        pricingId: voicePricing,
        dimensions: { region: 'EMEA', tier: 'premium' },
        rate: '0.85',
        listRate: '0.9',
      },
    ]);
  });

  it('leaves unclear terms empty with an issue instead of guessing', async () => {
    const blocks: AgreementBlock[] = [
      { text: 'Test Org, Inc. and Initech LLC ("Customer") agree as follows.' },
      { text: 'Customer may choose the Voice Suite or the Token Starter plan at a later date.' },
      { text: 'This agreement was signed on April 4, 2025.' },
    ];
    const upload = await uploadDocument(t, await agreementPdf(blocks), 'application/pdf');
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.customer.proposedName).toBe('Initech LLC');
    // A signature date is not a start date; two plans named → no plan.
    expect(draft.contractStart).toBeNull();
    expect(draft.plan).toBeNull();
    const codes = draft.issues.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['CONTRACT_START_MISSING', 'PLAN_MISSING']));
    expect(draft.issues.find((i) => i.code === 'PLAN_MISSING')?.message).toContain('Several plans');
  });
});
