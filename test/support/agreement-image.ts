import { createCanvas } from '@napi-rs/canvas';
import PDFDocument from 'pdfkit';

/** A line of a scanned page: text at a position in points (72 per inch) on a Letter page. */
export interface ScanLine {
  x: number;
  y: number;
  text: string;
  bold?: boolean;
}

const DPI = 200;

/**
 * A phone-photo or scanner image of a Letter page (200 dpi, PNG): the lines drawn in a sans-serif font,
 * turned by a small angle as a sheet fed slightly askew would be, on an off-white background.
 */
export function scannedPagePng(lines: ScanLine[], options: { tiltDegrees?: number } = {}): Buffer {
  const scale = DPI / 72;
  const canvas = createCanvas(Math.round(8.5 * DPI), Math.round(11 * DPI));
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4f2ee';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.translate(canvas.width / 2, canvas.height / 2);
  ctx.rotate(((options.tiltDegrees ?? 0) * Math.PI) / 180);
  ctx.translate(-canvas.width / 2, -canvas.height / 2);
  ctx.fillStyle = '#1a1a1a';
  for (const line of lines) {
    ctx.font = `${line.bold ? 'bold ' : ''}${Math.round(11 * scale)}px "Liberation Sans"`;
    ctx.fillText(line.text, line.x * scale, line.y * scale);
  }
  return canvas.toBuffer('image/png');
}

/** A scanned PDF: each page is only an image (no text layer), as a scanner produces. */
export function scannedPdf(pages: Buffer[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margin: 0, autoFirstPage: false });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  for (const png of pages) {
    doc.addPage({ size: 'LETTER', margin: 0 });
    doc.image(png, 0, 0, { width: 612, height: 792 });
  }
  doc.end();
  return done;
}
