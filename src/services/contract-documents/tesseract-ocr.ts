import { dirname, join } from 'node:path';
import Tesseract from 'tesseract.js';
import type { TextItem } from '../../domain/contract-extraction-types';

/** A recognized word: its text, its box in the image's pixels and how sure OCR is (0..1). */
export type OcrWord = TextItem & { confidence: number };

/** OCR ran out of time: trying again later may pass (unlike an image it cannot decode). */
export class OcrTimeoutError extends Error {}

/** Reads the words of page images (PNG, JPEG or PPM bytes), with their boxes. */
export interface OcrEngine {
  recognizePages(images: Uint8Array[]): Promise<OcrWord[][]>;
}

/**
 * The English traineddata shipped by `@tesseract.js-data/eng` (nothing is downloaded at run time): the
 * package's `langPath`, found next to its package.json.
 */
function englishLangPath(): string {
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0');
}

/**
 * Offline OCR with tesseract.js (its own worker thread, WebAssembly): small rotations are straightened
 * before reading (rotateAuto), and words are found anywhere on the page (sparse text), which reads tables
 * with ruled cells far better than the block layout mode; the extractor rebuilds lines and columns from
 * the word boxes. One tesseract worker per document, terminated when done or after the timeout.
 */
export class TesseractOcr implements OcrEngine {
  constructor(private readonly timeoutMs = 120_000) {}

  async recognizePages(images: Uint8Array[]): Promise<OcrWord[][]> {
    const worker = await Tesseract.createWorker('eng', Tesseract.OEM.LSTM_ONLY, {
      langPath: englishLangPath(),
      gzip: true,
      cacheMethod: 'none',
      // Without a handler tesseract.js rethrows a failed job inside its message listener, an uncaught
      // exception that would take the process down; the job's own promise already rejects.
      errorHandler: () => undefined,
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(
          () => fail(new OcrTimeoutError(`OCR took longer than ${this.timeoutMs} ms`)),
          this.timeoutMs,
        );
      });
      await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.SPARSE_TEXT });
      const pages: OcrWord[][] = [];
      for (const image of images) {
        const result = await Promise.race([
          worker.recognize(Buffer.from(image), { rotateAuto: true }, { blocks: true, text: false }),
          timeout,
        ]);
        pages.push(wordsOf(result.data));
      }
      return pages;
    } finally {
      clearTimeout(timer);
      await worker.terminate();
    }
  }
}

function wordsOf(page: Tesseract.Page): OcrWord[] {
  const words: OcrWord[] = [];
  for (const block of page.blocks ?? [])
    for (const paragraph of block.paragraphs)
      for (const line of paragraph.lines)
        for (const word of line.words) {
          if (!word.text.trim()) continue;
          const { x0, y0, x1, y1 } = word.bbox;
          words.push({
            text: word.text,
            x: x0,
            y: y0,
            w: x1 - x0,
            h: y1 - y0,
            confidence: word.confidence / 100,
          });
        }
  return words;
}
