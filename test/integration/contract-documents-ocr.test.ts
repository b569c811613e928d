import { scannedPagePng, scannedPdf, type ScanLine } from '../support/agreement-image';
import { gqlOwnConnection, readDraft, uploadDocument } from '../support/contract-documents-api';
import { createExtractionCatalog } from '../support/extraction-catalog';
import { TestApp } from '../support/test-app';

/**
 * Contract Extraction from scans and photos: an order form rendered to an image here (turned by a small
 * angle, as a sheet fed askew), uploaded as a PNG and as an image-only PDF, read by offline OCR; then
 * confirmed into a contract with its negotiated rate and prepaid credits. Catalog:
 * test/support/extraction-catalog.ts (TOKENS: alpha-1 0.005, beta-2 0.02).
 */
describe('Contract Extraction: scanned agreements (OCR)', () => {
  let t: TestApp;
  let tokenPlan: string;
  let tokenPricing: string;
  let page: Buffer;

  /** Label at x = 72 pt, value at x = 250 pt; a rate table with the list price beside the negotiated one. */
  const row = (y: number, label: string, value: string): ScanLine[] => [
    { x: 72, y, text: label, bold: true },
    { x: 250, y, text: value },
  ];
  const lines: ScanLine[] = [
    { x: 72, y: 80, text: 'Test Org, Inc.', bold: true },
    { x: 400, y: 80, text: 'ORDER FORM', bold: true },
    ...row(130, 'Customer legal name', 'Initrode Systems, Inc.'),
    ...row(155, 'Billing email', 'billing@initrode.example'),
    ...row(180, 'Technical contact', 'peter.gibbons@initrode.example'),
    ...row(205, 'Plan', 'Token Starter'),
    ...row(230, 'Start date', 'June 1, 2025'),
    ...row(255, 'End date', 'May 31, 2026'),
    ...row(280, 'Billing cycle', 'Monthly'),
    ...row(305, 'Payment terms', 'Net 15'),
    ...row(330, 'Payment method', 'ACH debit: Customer authorizes automatic charges'),
    ...row(355, 'Currency', 'USD'),
    ...row(380, 'Prepaid credits', '$5,000.00 paid in advance, expiring May 31, 2026'),
    { x: 72, y: 430, text: 'Model', bold: true },
    { x: 250, y: 430, text: 'List price', bold: true },
    { x: 400, y: 430, text: 'Negotiated rate', bold: true },
    { x: 72, y: 455, text: 'beta-2' },
    { x: 250, y: 455, text: '$0.02' },
    { x: 400, y: 455, text: '$0.015' },
    { x: 72, y: 520, text: 'Signed May 20, 2025 by both parties.' },
  ];

  beforeAll(async () => {
    t = await TestApp.start();
    ({ tokenPlan, tokenPricing } = await createExtractionCatalog(t));
    page = scannedPagePng(lines, { tiltDegrees: 1 });
  });
  afterAll(() => t?.app.stop());

  const expectOrderForm = (draft: Awaited<ReturnType<typeof readDraft>>) => {
    expect(draft.document).toMatchObject({ status: 'DONE', pages: 1, method: 'OCR' });
    expect(draft.customer.proposedName).toBe('Initrode Systems, Inc.');
    expect(draft.customer.proposedEmail).toBe('billing@initrode.example');
    expect(draft.plan?.planId).toBe(tokenPlan);
    // The signature date (May 20) is not the start.
    expect(draft.contractStart).toBe('2025-06-01');
    expect(draft.contractEnd).toBe('2026-05-31');
    expect(draft.billingCycle).toBe('MONTHLY');
    expect(draft.paymentTermsDays).toBe(15);
    expect(draft.autoPay).toBe(true);
    expect(draft.currency).toBe('USD');
    // beta-2: the negotiated $0.015, not the $0.02 list price (which equals the rate card).
    expect(draft.rateOverrides).toEqual([
      { pricingId: tokenPricing, dimensions: { model: 'beta-2' }, rate: '0.015', listRate: '0.02' },
    ]);
    // Paid in advance, nothing added: 5,000.00 paid = 5,000.00 of credits.
    expect(draft.prepaidCredits).toEqual({
      grantAmount: '5000.00',
      invoiceAmount: '5000.00',
      expiresOn: '2026-05-31',
    });
    // OCR evidence: boxes in the page's coordinates, confidence from the rule and the words.
    const start = draft.document!.evidence.find((e) => e.field === 'contractStart')!;
    expect(start.text).toContain('June 1, 2025');
    expect(start.box.x).toBeGreaterThan(0);
    expect(start.box.x + start.box.w).toBeLessThanOrEqual(draft.document!.pages! * 8.5 * 200);
  };

  it('reads a photographed page (PNG), deskewed', async () => {
    const upload = await uploadDocument(t, page, 'image/png', { filename: 'scan.png' });
    expect(upload.status).toBe(202);
    expectOrderForm(await readDraft(t, upload.body.draftId!));
  });

  it('reads a scanned PDF (image only) and confirms it into a contract with its rate and credits', async () => {
    const upload = await uploadDocument(t, await scannedPdf([page]), 'application/pdf');
    const draft = await readDraft(t, upload.body.draftId!);
    expectOrderForm(draft);
    const confirmed = await gqlOwnConnection<{
      confirmContractDraft: { confirmedContractId: string; confirmedCustomerId: string };
    }>(
      t,
      'mutation($id: ID!) { confirmContractDraft(id: $id) { confirmedContractId confirmedCustomerId } }',
      {
        id: draft.id,
      },
    );
    const data = await gqlOwnConnection<{
      contract: {
        startDate: string;
        endDate: string;
        paymentTermsDays: number;
        autoPay: boolean;
        rateOverrides: Array<{ meterCode: string; dimensions: Record<string, string>; rate: string }>;
      };
      creditBalance: { grants: Array<{ granted: string; grant: { invoiceAmount: string | null } }> };
    }>(
      t,
      `query($id: ID!, $customerId: ID!) {
        contract(id: $id) { startDate endDate paymentTermsDays autoPay rateOverrides { meterCode dimensions rate } }
        creditBalance(customerId: $customerId) { grants { granted grant { invoiceAmount } } }
      }`,
      {
        id: confirmed.confirmContractDraft.confirmedContractId,
        customerId: confirmed.confirmContractDraft.confirmedCustomerId,
      },
    );
    expect(data.contract).toEqual({
      startDate: '2025-06-01T00:00:00.000Z',
      endDate: '2026-05-31T00:00:00.000Z',
      paymentTermsDays: 15,
      autoPay: true,
      rateOverrides: [{ meterCode: 'TOKENS', dimensions: { model: 'beta-2' }, rate: '0.015' }],
    });
    expect(data.creditBalance.grants).toEqual([{ granted: '5000.00', grant: { invoiceAmount: '5000.00' } }]);
  });
});
