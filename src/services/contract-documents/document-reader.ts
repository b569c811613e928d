import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DOCUMENT_LIMITS, jpegSize, pngSize, type DocumentKind } from '../../domain/document-sniff';
import { OcrTimeoutError, type OcrEngine } from './tesseract-ocr';
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

/** A page as the PDF worker returns it: its text, and for a page without text its largest image. */
export type PdfPage = ReadPage & { image: { width: number; height: number; ppm: Uint8Array } | null };

/**
 * Born-digital PDFs: the text layer with positions, read by pdf.js in a worker thread with a memory limit
 * and a timeout; pages without text come with their scanned image for OCR.
 */
export class PdfTextReader {
  constructor(private readonly options: PdfReaderOptions = {}) {}

  readPages(bytes: Buffer): Promise<PdfPage[]> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    return new Promise((done, fail) => {
      const worker = new Worker(workerScript(), {
        workerData: {
          bytes: new Uint8Array(bytes),
          maxPages: DOCUMENT_LIMITS.maxPages,
          maxPixels: DOCUMENT_LIMITS.maxPixels,
        },
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
      worker.on('message', (message: { pages?: PdfPage[]; error?: { code: string; message: string } }) =>
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

/**
 * Reads any accepted upload: a PDF's text layer, OCR for its scanned pages (word boxes scaled from the
 * image's pixels to the page's points) and for PNG/JPEG photos and scans. Without an OCR engine, scans
 * and images fail with a reason the draft shows.
 */
export class AgreementReader implements DocumentReader {
  constructor(
    private readonly pdf: PdfTextReader,
    private readonly ocr: OcrEngine | null,
  ) {}

  async read(bytes: Buffer, kind: DocumentKind): Promise<ReadDocument> {
    if (kind !== 'application/pdf') return this.readImage(bytes, kind);
    const pages = await this.pdf.readPages(bytes);
    const scans = pages.filter((page) => !page.items.length && page.image);
    if (scans.length && this.ocr) {
      const words = await this.recognize(scans.map((page) => page.image!.ppm));
      scans.forEach((page, i) => {
        const scale = page.width / page.image!.width;
        page.items = words[i].map((w) => ({
          ...w,
          x: w.x * scale,
          y: w.y * scale,
          w: w.w * scale,
          h: w.h * scale,
        }));
      });
    }
    if (!pages.some((page) => page.items.length > 0))
      throw new DocumentReadError(
        'NO_TEXT_LAYER',
        !scans.length
          ? 'The PDF has no text layer and no scanned image to read'
          : this.ocr
            ? 'No text could be read from the scanned pages'
            : 'The PDF has no text layer (a scan) and OCR is not enabled',
        false,
      );
    return {
      method: scans.length ? 'OCR' : 'TEXT_LAYER',
      pages: pages.map(({ image: _image, ...page }) => page),
    };
  }

  private async readImage(bytes: Buffer, kind: DocumentKind): Promise<ReadDocument> {
    if (!this.ocr)
      throw new DocumentReadError(
        'OCR_NOT_AVAILABLE',
        'Images are read with OCR, which is not enabled',
        false,
      );
    const size = kind === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
    if (!size) throw new DocumentReadError('DOCUMENT_UNREADABLE', 'The image has no readable size', false);
    const [items] = await this.recognize([bytes]);
    if (!items.length)
      throw new DocumentReadError('NO_TEXT_FOUND', 'No text could be read from the image', false);
    return { method: 'OCR', pages: [{ number: 1, width: size.width, height: size.height, items }] };
  }

  private async recognize(images: Uint8Array[]) {
    try {
      return await this.ocr!.recognizePages(images);
    } catch (error) {
      throw new DocumentReadError(
        error instanceof OcrTimeoutError ? 'OCR_TIMEOUT' : 'OCR_FAILED',
        (error as Error).message ?? String(error),
        error instanceof OcrTimeoutError,
      );
    }
  }
}
