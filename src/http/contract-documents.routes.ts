import type { IncomingMessage } from 'node:http';
import { DOCUMENT_LIMITS } from '../domain/document-sniff';
import { forbidden } from '../domain/errors';
import { DocumentRefusedError } from '../services/contract-documents';
import { bearerToken, HttpError, sendJson } from './http-utils';
import { multipartFile } from './multipart';
import type { Router } from './router';
import type { RouteDeps } from './route-deps';

/** Room for the multipart envelope around a file of the maximum size. */
const MULTIPART_OVERHEAD = 64 * 1024;
const RAW_TYPES = new Set(['application/pdf', 'image/png', 'image/jpeg', 'application/octet-stream']);

async function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  const tooLarge = () =>
    new HttpError(413, 'DOCUMENT_TOO_LARGE', `A document may be at most ${DOCUMENT_LIMITS.maxBytes} bytes`);
  // Refused before reading when the client says how much it sends.
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * `POST /v1/contract-documents`: upload a signed agreement for Contract Extraction, as the raw body
 * (`Content-Type: application/pdf | image/png | image/jpeg`, optional `X-Filename`) or as the `file` field
 * of `multipart/form-data`. API keys only. Answers `202 {"documentId","draftId"}` once the document is
 * stored (the same ids, with `"duplicate": true`, when the same bytes were already uploaded in the environment); the
 * document worker reads it in the background and fills in the draft. Refusals: 413 (over 20 MB),
 * 415 (not a PDF/PNG/JPEG, or not what its Content-Type says), 422 (truncated, active content, too many
 * pages or pixels), each with a code.
 */
export function registerContractDocumentRoutes(router: Router, deps: RouteDeps): void {
  router.add('POST', '/v1/contract-documents', async (req, res) => {
    const requestId = (req as IncomingMessage & { requestId?: string }).requestId ?? '';
    const ctx = await deps.authenticator.context(bearerToken(req), requestId, deps.log);
    if (ctx.caller.kind !== 'API_KEY') throw forbidden('Uploading documents needs an API key');
    const header = req.headers['content-type'] ?? '';
    const mediaType = header.split(';')[0].trim().toLowerCase();
    let upload: { bytes: Buffer; declaredType: string; filename: string | null };
    if (mediaType === 'multipart/form-data') {
      const body = await readBytes(req, DOCUMENT_LIMITS.maxBytes + MULTIPART_OVERHEAD);
      const file = multipartFile(body, header, 'file');
      upload = { bytes: file.bytes, declaredType: file.contentType, filename: file.filename };
    } else if (RAW_TYPES.has(mediaType)) {
      const name = req.headers['x-filename'];
      upload = {
        bytes: await readBytes(req, DOCUMENT_LIMITS.maxBytes),
        declaredType: mediaType,
        filename: typeof name === 'string' ? decodeURIComponent(name) : null,
      };
    } else {
      throw new HttpError(
        415,
        'DOCUMENT_TYPE_UNSUPPORTED',
        'Send the document as application/pdf, image/png or image/jpeg, or as the "file" field of multipart/form-data',
      );
    }
    try {
      const outcome = await deps.services.contractDocuments.upload(ctx, upload);
      sendJson(res, 202, {
        documentId: outcome.documentId,
        draftId: outcome.draftId,
        duplicate: outcome.duplicate,
      });
    } catch (error) {
      if (error instanceof DocumentRefusedError)
        throw new HttpError(error.refusal.status, error.refusal.code, error.refusal.message);
      throw error;
    }
  });
}
