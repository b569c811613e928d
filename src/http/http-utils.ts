import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, ErrorCode } from '../domain/errors';

/** Thrown while reading a body; mapped to a plain HTTP error answer. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * JSON endpoints take `Content-Type: application/json` (a charset parameter is allowed) and nothing else:
 * other types are 415, so a form or text post from a browser page never reaches them.
 */
export function requireJsonContentType(req: IncomingMessage): void {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type must be application/json, got ${mediaType ? `"${mediaType}"` : 'none'}`,
    );
  }
}

/** Reads a request body up to `limitBytes` (413 beyond it). */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes)
      throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request body exceeds ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and parses a JSON body; a body that is not JSON is a 400. */
export async function readJson(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const text = await readBody(req, limitBytes);
  if (!text.trim()) throw new HttpError(400, 'INVALID_JSON', 'Request body must be JSON');
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'Request body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** The REST error shape: `{ "error": { "code", "message", "field"? } }`. */
export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    sendJson(res, error.status, { error: { code: error.code, message: error.message } });
  } else if (error instanceof AppError) {
    sendJson(res, error.httpStatus, {
      error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
    });
  } else {
    sendJson(res, 500, { error: { code: ErrorCode.INTERNAL, message: 'Internal server error' } });
  }
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
