import { HttpError } from './http-utils';

export interface MultipartFile {
  filename: string | null;
  contentType: string;
  bytes: Buffer;
}

/**
 * The named file field of a `multipart/form-data` body (RFC 7578), read from the whole body (already
 * bounded by the route's size limit). Other fields are ignored; a body without the field is a 400.
 */
export function multipartFile(body: Buffer, contentTypeHeader: string, field: string): MultipartFile {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentTypeHeader);
  if (!boundary) throw new HttpError(400, 'MULTIPART_INVALID', 'multipart/form-data needs a boundary');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    // A part: CRLF, headers, CRLF CRLF, content, CRLF before the next delimiter.
    const part = body.subarray(partStart + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      if (name === field) {
        const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
        const contentType = (/content-type:\s*([^\r\n;]*)/i.exec(headers)?.[1] ?? '').trim().toLowerCase();
        return { filename, contentType, bytes: part.subarray(headerEnd + 4) };
      }
    }
    start = next;
  }
  throw new HttpError(400, 'MULTIPART_FILE_MISSING', `The form has no "${field}" file field`);
}
