/**
 * What an uploaded agreement is, read from its bytes (never from the Content-Type header), and the limits
 * that can be checked from the bytes alone before any expensive parsing: size, page count, pixels.
 */
export type DocumentKind = 'application/pdf' | 'image/png' | 'image/jpeg';

export const DOCUMENT_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxPages: 50,
  /** Per page or image: 40 megapixels (e.g. 8000 × 5000) is far above a 600 dpi Letter scan. */
  maxPixels: 40_000_000,
} as const;

/** A refusal with the HTTP status and code the upload route answers with. */
export interface DocumentRefusal {
  status: 413 | 415 | 422;
  code: string;
  message: string;
}

export function sniffKind(bytes: Uint8Array): DocumentKind | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  // %PDF- may follow a little junk; readers accept it within the first 1024 bytes.
  if (indexOf(bytes.subarray(0, 1024), '%PDF-') >= 0) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return null;
}

function indexOf(bytes: Uint8Array, text: string, from = 0): number {
  const first = text.charCodeAt(0);
  outer: for (let i = bytes.indexOf(first, from); i >= 0; i = bytes.indexOf(first, i + 1)) {
    for (let j = 1; j < text.length; j++) if (bytes[i + j] !== text.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height from a JPEG's first start-of-frame marker. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    }
    i += 2 + length;
  }
  return null;
}

/** The page count a PDF's uncompressed page-tree roots declare (0 when they are in compressed streams). */
export function declaredPdfPages(bytes: Uint8Array): number {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let pages = 0;
  for (const match of text.matchAll(
    /\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)|\/Count\s+(\d+)[^>]*?\/Type\s*\/Pages\b/g,
  )) {
    pages = Math.max(pages, Number(match[1] ?? match[2]));
  }
  return pages;
}

/**
 * Checks an upload from its bytes: type (against the declared one), size, completeness, active content,
 * pages and pixels. Returns the kind, or the refusal to answer with.
 */
export function checkDocument(
  bytes: Uint8Array,
  declaredType: string,
): { kind: DocumentKind; pages: number | null } | DocumentRefusal {
  if (bytes.length > DOCUMENT_LIMITS.maxBytes)
    return refusal(413, 'DOCUMENT_TOO_LARGE', `A document may be at most ${DOCUMENT_LIMITS.maxBytes} bytes`);
  if (bytes.length === 0) return refusal(422, 'DOCUMENT_EMPTY', 'The document is empty');
  const kind = sniffKind(bytes);
  if (!kind) return refusal(415, 'DOCUMENT_TYPE_UNSUPPORTED', 'The file is not a PDF, PNG or JPEG');
  if (declaredType && declaredType !== 'application/octet-stream' && declaredType !== kind)
    return refusal(415, 'DOCUMENT_TYPE_MISMATCH', `The file is ${kind} but was sent as ${declaredType}`);
  if (kind === 'application/pdf') return checkPdf(bytes);
  const size = kind === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
  if (!size || !size.width || !size.height)
    return refusal(422, 'DOCUMENT_UNREADABLE', 'The image has no readable dimensions');
  if (size.width * size.height > DOCUMENT_LIMITS.maxPixels)
    return refusal(
      422,
      'DOCUMENT_PIXEL_LIMIT',
      `The image has ${size.width}×${size.height} pixels; at most ${DOCUMENT_LIMITS.maxPixels} are read`,
    );
  return { kind, pages: 1 };
}

function checkPdf(bytes: Uint8Array): { kind: DocumentKind; pages: number | null } | DocumentRefusal {
  // A complete PDF ends with %%EOF (possibly followed by a line break or a little padding).
  if (indexOf(bytes.subarray(Math.max(0, bytes.length - 2048)), '%%EOF') < 0)
    return refusal(422, 'DOCUMENT_TRUNCATED', 'The PDF is incomplete (no end-of-file marker)');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  if (/\/(JavaScript|JS|Launch|EmbeddedFile)\b/.test(text))
    return refusal(
      422,
      'DOCUMENT_ACTIVE_CONTENT',
      'The PDF contains JavaScript, launch actions or embedded files; print it to a plain PDF and upload that',
    );
  const pages = declaredPdfPages(bytes);
  if (pages > DOCUMENT_LIMITS.maxPages)
    return refusal(
      422,
      'DOCUMENT_PAGE_LIMIT',
      `The PDF has ${pages} pages; at most ${DOCUMENT_LIMITS.maxPages} are read`,
    );
  return { kind: 'application/pdf', pages: pages || null };
}

function refusal(status: DocumentRefusal['status'], code: string, message: string): DocumentRefusal {
  return { status, code, message };
}

export function isRefusal(value: object): value is DocumentRefusal {
  return 'code' in value;
}
