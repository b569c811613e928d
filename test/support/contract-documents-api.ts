import { request } from 'node:http';
import type { TestApp } from './test-app';

/**
 * A POST on a connection of its own. Reading a scan takes seconds, longer than the server keeps an idle
 * connection open; a pooled connection reused just as the server closes it fails the request, so these
 * helpers never reuse one.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: Buffer | string,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
      );
      res.on('error', reject);
    });
    // The server may answer (413) before the whole body is sent and close: the answer is what counts.
    req.on('error', reject);
    req.end(body);
  });
}

export interface UploadResult {
  status: number;
  body: {
    documentId?: string;
    draftId?: string;
    duplicate?: boolean;
    error?: { code: string; message: string };
  };
}

/** `POST /v1/contract-documents` with the file as the raw body. */
export async function uploadDocument(
  t: TestApp,
  bytes: Buffer,
  contentType: string,
  options: { token?: string | null; filename?: string } = {},
): Promise<UploadResult> {
  const token = options.token === undefined ? t.apiKey : options.token;
  const result = await post(
    `${t.url}/v1/contract-documents`,
    {
      'content-type': contentType,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.filename ? { 'x-filename': options.filename } : {}),
    },
    bytes,
  );
  return { status: result.status, body: result.json as UploadResult['body'] };
}

/** The same upload as a browser form would send it: multipart/form-data with a `file` field. */
export async function uploadDocumentForm(t: TestApp, bytes: Buffer, contentType: string, filename: string) {
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: contentType }), filename);
  const response = await fetch(`${t.url}/v1/contract-documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${t.apiKey}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as UploadResult['body'] };
}

export const DOCUMENT_DRAFT = `
  id source status contractStart contractEnd evergreen paymentTermsDays billingCycle autoPay currency
  customer { proposedName proposedEmail proposedAddress }
  plan { planId }
  rateOverrides { pricingId dimensions rate listRate }
  prepaidCredits { grantAmount invoiceAmount expiresOn }
  issues { code field message blocking }
  document { id filename contentType pages status method sha256 error errorCode deletedAt notes
    evidence { field value page text confidence box { x y w h } } }`;

export interface DocumentDraft {
  id: string;
  source: string;
  status: string;
  contractStart: string | null;
  contractEnd: string | null;
  evergreen: boolean;
  paymentTermsDays: number | null;
  billingCycle: string | null;
  autoPay: boolean | null;
  currency: string | null;
  customer: { proposedName: string | null; proposedEmail: string | null; proposedAddress: string | null };
  plan: { planId: string } | null;
  rateOverrides: Array<{
    pricingId: string;
    dimensions: Record<string, string>;
    rate: string;
    listRate: string | null;
  }>;
  prepaidCredits: { grantAmount: string; invoiceAmount: string; expiresOn: string | null } | null;
  issues: Array<{ code: string; field: string; message: string; blocking: boolean }>;
  document: {
    id: string;
    filename: string | null;
    contentType: string;
    pages: number | null;
    status: string;
    method: string | null;
    sha256: string;
    error: string | null;
    errorCode: string | null;
    deletedAt: string | null;
    notes: string[];
    evidence: Array<{
      field: string;
      value: string | null;
      page: number;
      text: string;
      confidence: number;
      box: { x: number; y: number; w: number; h: number };
    }>;
  } | null;
}

/** Runs the document worker until the queue is empty, then reads the draft. */
export async function readDraft(t: TestApp, draftId: string): Promise<DocumentDraft> {
  await t.app.workers.contractDocuments.drain();
  const data = await gqlOwnConnection<{ contractDraft: DocumentDraft }>(
    t,
    `query($id: ID!) { contractDraft(id: $id) { ${DOCUMENT_DRAFT} } }`,
    { id: draftId },
  );
  return data.contractDraft;
}

/** A GraphQL operation that must succeed, on a connection of its own (see `post`). */
export async function gqlOwnConnection<T>(
  t: TestApp,
  query: string,
  variables: Record<string, unknown> = {},
  token: string = t.apiKey,
): Promise<T> {
  const result = await post(
    `${t.url}/graphql`,
    { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    JSON.stringify({ query, variables }),
  );
  const body = result.json as { data?: T; errors?: unknown };
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data!;
}
