import { agreementPdf, manyPagesPdf, pngHeader, shapesOnlyPdf } from '../support/agreement-pdf';
import {
  gqlOwnConnection,
  readDraft,
  uploadDocument,
  uploadDocumentForm,
} from '../support/contract-documents-api';
import { TestApp } from '../support/test-app';

/**
 * The upload route of Contract Extraction: who may upload, what is accepted (type sniffed from the bytes),
 * each limit and each bad file answered with its status and code, dedupe by content, deletion, isolation
 * between environments, and documents the reader cannot read failing with the reason on the draft.
 */
describe('Contract Extraction: uploads', () => {
  let t: TestApp;
  let simplePdf: Buffer;

  beforeAll(async () => {
    t = await TestApp.start();
    simplePdf = await agreementPdf([
      { text: 'Test Org, Inc. and Umbrella Corp ("Customer") agree as follows.' },
      { text: 'The subscription term begins on June 1, 2025.' },
    ]);
  });
  afterAll(() => t?.app.stop());

  const expectRefused = (
    result: { status: number; body: { error?: { code: string } } },
    status: number,
    code: string,
  ) => {
    expect(result.status).toBe(status);
    expect(result.body.error?.code).toBe(code);
  };

  it('answers 202 with the document and draft ids at once; the draft shows PROCESSING until read', async () => {
    const upload = await uploadDocument(t, simplePdf, 'application/pdf', { filename: 'umbrella.pdf' });
    expect(upload.status).toBe(202);
    expect(upload.body).toEqual({
      documentId: expect.any(String),
      draftId: expect.any(String),
      duplicate: false,
    });
    const before = await gqlOwnConnection<{
      contractDraft: { source: string; document: { status: string; sha256: string } };
    }>(t, 'query($id: ID!) { contractDraft(id: $id) { source document { status sha256 } } }', {
      id: upload.body.draftId,
    });
    expect(before.contractDraft.source).toBe('DOCUMENT');
    expect(before.contractDraft.document.status).toBe('PROCESSING');
    expect(before.contractDraft.document.sha256).toMatch(/^[0-9a-f]{64}$/);
    const after = await readDraft(t, upload.body.draftId!);
    expect(after.document?.status).toBe('DONE');
    expect(after.customer.proposedName).toBe('Umbrella Corp');
    expect(after.contractStart).toBe('2025-06-01');
  });

  it('returns the same draft for the same document uploaded again, also as a multipart form', async () => {
    const first = await uploadDocument(t, simplePdf, 'application/pdf');
    const again = await uploadDocumentForm(t, simplePdf, 'application/pdf', 'copy.pdf');
    expect(again.status).toBe(202);
    expect(again.body).toEqual({
      documentId: first.body.documentId,
      draftId: first.body.draftId,
      duplicate: true,
    });
  });

  it('accepts a multipart form upload of a new document', async () => {
    const pdf = await agreementPdf([{ text: 'Test Org, Inc. and Hooli LLC ("Customer") agree.' }]);
    const upload = await uploadDocumentForm(t, pdf, 'application/pdf', 'hooli.pdf');
    expect(upload.status).toBe(202);
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document).toMatchObject({ filename: 'hooli.pdf', status: 'DONE' });
    expect(draft.customer.proposedName).toBe('Hooli LLC');
  });

  it('stores a document larger than one stored part whole and reads it', async () => {
    // Parts are 4 MB; 9 MB of padding after the PDF's end-of-file marker makes three parts.
    const padded = Buffer.concat([
      await agreementPdf([{ text: 'Test Org, Inc. and Soylent Corp ("Customer") agree.' }]),
      Buffer.from('%'),
      Buffer.alloc(9 * 1024 * 1024, 0x20),
      Buffer.from('\n%%EOF\n'),
    ]);
    const upload = await uploadDocument(t, padded, 'application/pdf');
    expect(upload.status).toBe(202);
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document?.status).toBe('DONE');
    expect(draft.customer.proposedName).toBe('Soylent Corp');
  });

  it('needs an API key', async () => {
    const result = await uploadDocument(t, simplePdf, 'application/pdf', { token: null });
    expect(result.status).toBe(401);
  });

  it('refuses a body over 20 MB with 413', async () => {
    // 20 MB = 20 × 1024 × 1024 = 20,971,520 bytes; one byte more is refused.
    const big = Buffer.concat([simplePdf, Buffer.alloc(20 * 1024 * 1024 + 1 - simplePdf.length)]);
    expectRefused(await uploadDocument(t, big, 'application/pdf'), 413, 'DOCUMENT_TOO_LARGE');
  });

  it('refuses a file that is not what its Content-Type says with 415', async () => {
    expectRefused(
      await uploadDocument(t, pngHeader(100, 100), 'application/pdf'),
      415,
      'DOCUMENT_TYPE_MISMATCH',
    );
    expectRefused(await uploadDocument(t, simplePdf, 'image/jpeg'), 415, 'DOCUMENT_TYPE_MISMATCH');
  });

  it('refuses a file that is no PDF, PNG or JPEG with 415', async () => {
    const text = Buffer.from('Customer: Initech\nStart: 2025-01-01\n');
    expectRefused(await uploadDocument(t, text, 'application/pdf'), 415, 'DOCUMENT_TYPE_UNSUPPORTED');
    expectRefused(await uploadDocument(t, text, 'text/plain'), 415, 'DOCUMENT_TYPE_UNSUPPORTED');
  });

  it('refuses a truncated PDF with 422', async () => {
    const truncated = simplePdf.subarray(0, Math.floor(simplePdf.length / 2));
    expectRefused(await uploadDocument(t, truncated, 'application/pdf'), 422, 'DOCUMENT_TRUNCATED');
  });

  it('refuses a PDF with JavaScript with 422', async () => {
    const withScript = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj\n' +
        '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
      'latin1',
    );
    expectRefused(await uploadDocument(t, withScript, 'application/pdf'), 422, 'DOCUMENT_ACTIVE_CONTENT');
  });

  it('refuses an image bomb (too many pixels) with 422 before decoding it', async () => {
    // 50,000 × 50,000 = 2.5 billion pixels, far over the 40 million limit; the header alone says so.
    expectRefused(
      await uploadDocument(t, pngHeader(50_000, 50_000), 'image/png'),
      422,
      'DOCUMENT_PIXEL_LIMIT',
    );
  });

  it('refuses a PDF of more than 50 pages with 422', async () => {
    const pdf = await manyPagesPdf(51);
    expectRefused(await uploadDocument(t, pdf, 'application/pdf'), 422, 'DOCUMENT_PAGE_LIMIT');
  });

  it('fails a PDF without a text layer with the reason on the draft', async () => {
    const upload = await uploadDocument(t, await shapesOnlyPdf(), 'application/pdf');
    expect(upload.status).toBe(202);
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document).toMatchObject({ status: 'FAILED', errorCode: 'NO_TEXT_LAYER' });
    expect(draft.document?.error).toContain('no text layer and no scanned image');
  });

  it('fails an image OCR cannot decode with the reason on the draft, without retrying', async () => {
    // A PNG header with no image data: sniffed and sized at upload, undecodable when read.
    const upload = await uploadDocument(t, pngHeader(800, 600), 'image/png');
    expect(upload.status).toBe(202);
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document).toMatchObject({
      status: 'FAILED',
      errorCode: 'OCR_FAILED',
      contentType: 'image/png',
    });
  });

  it('deletes the bytes and keeps the draft’s record; the same file can then be uploaded anew', async () => {
    const pdf = await agreementPdf([
      { text: 'Test Org, Inc. and Vandelay Industries, Inc. ("Customer") agree.' },
    ]);
    const upload = await uploadDocument(t, pdf, 'application/pdf');
    await readDraft(t, upload.body.draftId!);
    const deleted = await gqlOwnConnection<{
      deleteContractDocument: { id: string; deletedAt: string | null; sha256: string };
    }>(t, 'mutation($id: ID!) { deleteContractDocument(id: $id) { id deletedAt sha256 } }', {
      id: upload.body.documentId,
    });
    expect(deleted.deleteContractDocument.deletedAt).not.toBeNull();
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.document).toMatchObject({
      id: upload.body.documentId,
      status: 'DONE',
      deletedAt: expect.any(String),
    });
    expect(draft.customer.proposedName).toBe('Vandelay Industries, Inc.');
    const again = await uploadDocument(t, pdf, 'application/pdf');
    expect(again.body.duplicate).toBe(false);
    expect(again.body.draftId).not.toBe(upload.body.draftId);
  });

  it('keeps what ops typed on the draft while the document was being read', async () => {
    const pdf = await agreementPdf([{ text: 'Test Org, Inc. and Wonka Industries LLC ("Customer") agree.' }]);
    const upload = await uploadDocument(t, pdf, 'application/pdf');
    await gqlOwnConnection(
      t,
      'mutation($id: ID!, $input: ContractDraftInput!) { updateContractDraft(id: $id, input: $input) { id } }',
      {
        id: upload.body.draftId,
        input: { proposedCustomer: { name: 'Wonka Chocolate Factory' } },
      },
    );
    const draft = await readDraft(t, upload.body.draftId!);
    expect(draft.customer.proposedName).toBe('Wonka Chocolate Factory');
    // What was read stays on the document, with its evidence, for ops to compare.
    expect(draft.document?.status).toBe('DONE');
    expect(draft.document?.evidence.find((e) => e.field === 'customer.legalName')?.value).toBe(
      'Wonka Industries LLC',
    );
  });

  it('keeps documents inside their environment', async () => {
    const upload = await uploadDocument(t, simplePdf, 'application/pdf');
    const other = await t.newOrganization('Elsewhere');
    // The same bytes in another environment are a new document and draft.
    const theirs = await uploadDocument(t, simplePdf, 'application/pdf', { token: other.apiKey });
    expect(theirs.body.duplicate).toBe(false);
    expect(theirs.body.draftId).not.toBe(upload.body.draftId);
    const result = await t.gql(
      'mutation($id: ID!) { deleteContractDocument(id: $id) { id } }',
      { id: upload.body.documentId },
      other.apiKey,
    );
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const read = await t.gql(
      'query($id: ID!) { contractDraft(id: $id) { id } }',
      { id: upload.body.draftId },
      other.apiKey,
    );
    expect(read.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('shares the queue between processes: each document is read once', async () => {
    const pdfs = await Promise.all(
      ['Alpha', 'Beta', 'Gamma'].map((name) =>
        agreementPdf([{ text: `Test Org, Inc. and ${name} Widgets LLC ("Customer") agree.` }]),
      ),
    );
    await t.app.workers.contractDocuments.drain();
    const uploads = await Promise.all(pdfs.map((pdf) => uploadDocument(t, pdf, 'application/pdf')));
    // Two workers claiming at once, as two processes would.
    const worker = () => t.app.services.documentProcessor.processNext(TestApp.systemContext(t.app, t.clock));
    const rounds = await Promise.all([worker(), worker(), worker(), worker()]);
    expect(rounds.filter(Boolean)).toHaveLength(3);
    for (const [i, upload] of uploads.entries()) {
      const draft = await readDraft(t, upload.body.draftId!);
      expect(draft.document?.status).toBe('DONE');
      expect(draft.customer.proposedName).toBe(`${['Alpha', 'Beta', 'Gamma'][i]} Widgets LLC`);
    }
  });
});
