import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DOCUMENT_LIMITS, type DocumentKind } from '../../domain/document-sniff';
import type { ReadDocument, ReadPage } from '../../domain/contract-extraction-types';

/** A document that cannot be read; `retriable` when trying again may help (a timeout, not a broken file). */
export class DocumentReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

/** Turns an uploaded document's bytes into positioned text, page by page. */
export interface DocumentReader {
  read(bytes: Buffer, kind: DocumentKind): Promise<ReadDocument>;
}

export interface PdfReaderOptions {
  timeoutMs?: number;
  memoryMb?: number;
}

/**
 * The pdf.js worker script. It sits next to this file under src (ts-node, jest) and is copied next to
 * the compiled file by `npm run build`; both are looked up so either layout works.
 */
function workerScript(): string {
  const beside = join(__dirname, 'pdf-text.worker.mjs');
  if (existsSync(beside)) return beside;
  let dir = __dirname;
  for (let i = 0; i < 6 && !existsSync(join(dir, 'package.json')); i++) dir = resolve(dir, '..');
  return join(dir, 'src', 'services', 'contract-documents', 'pdf-text.worker.mjs');
}

/**
 * Born-digital PDFs: the text layer with positions, read by pdf.js in a worker thread with a memory limit
 * and a timeout. Scanned pages (no text) and images need OCR, which this reader does not do: it says so.
 */
export class PdfTextReader implements DocumentReader {
  constructor(private readonly options: PdfReaderOptions = {}) {}

  async read(bytes: Buffer, kind: DocumentKind): Promise<ReadDocument> {
    if (kind !== 'application/pdf')
      throw new DocumentReadError(
        'OCR_NOT_AVAILABLE',
        'Images are read with OCR, which is not available yet: enter the terms by hand',
        false,
      );
    const pages = await this.readPdf(bytes);
    if (!pages.some((page) => page.items.length > 0))
      throw new DocumentReadError(
        'NO_TEXT_LAYER',
        'The PDF has no text layer (a scan); scans are read with OCR, which is not available yet',
        false,
      );
    return { method: 'TEXT_LAYER', pages };
  }

  private readPdf(bytes: Buffer): Promise<ReadPage[]> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    return new Promise((done, fail) => {
      const worker = new Worker(workerScript(), {
        workerData: { bytes: new Uint8Array(bytes), maxPages: DOCUMENT_LIMITS.maxPages },
        resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb ?? 512 },
        stdout: true,
        stderr: true,
      });
      let settled = false;
      const finish = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void worker.terminate();
        action();
      };
      const timer = setTimeout(
        () =>
          finish(() =>
            fail(new DocumentReadError('READ_TIMEOUT', `Reading took longer than ${timeoutMs} ms`, true)),
          ),
        timeoutMs,
      );
      worker.on('message', (message: { pages?: ReadPage[]; error?: { code: string; message: string } }) =>
        finish(() =>
          message.error
            ? fail(new DocumentReadError(message.error.code, message.error.message, false))
            : done(message.pages ?? []),
        ),
      );
      worker.on('error', (error) =>
        finish(() =>
          fail(
            new DocumentReadError(
              (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
                ? 'READ_OUT_OF_MEMORY'
                : 'DOCUMENT_UNREADABLE',
              error.message,
              false,
            ),
          ),
        ),
      );
      worker.on('exit', (code) =>
        finish(() => fail(new DocumentReadError('READ_CRASHED', `The reader exited (${code})`, true))),
      );
    });
  }
}
