import PDFDocument from 'pdfkit';

/** A block of a generated agreement: a wrapped paragraph, or a row of cells at given x positions. */
export type AgreementBlock =
  | { text: string; size?: number }
  | { cells: Array<[x: number, text: string]>; size?: number }
  | { pageBreak: true };

/**
 * Renders an agreement as a born-digital PDF (Letter, Helvetica, a real text layer), the way contract
 * templates are produced: paragraphs wrap at the margins, table rows put each cell at its column.
 */
export function agreementPdf(
  blocks: AgreementBlock[],
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', margin: 72, compress: options.compress ?? true });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.font('Helvetica');
  for (const block of blocks) {
    if ('pageBreak' in block) {
      doc.addPage();
      continue;
    }
    doc.fontSize(block.size ?? 10);
    if ('text' in block) {
      doc.text(block.text, 72, doc.y, { width: 468 });
      doc.moveDown(0.6);
    } else {
      const y = doc.y;
      for (const [x, text] of block.cells) doc.text(text, x, y, { lineBreak: false });
      doc.y = y + (block.size ?? 10) * 1.9;
    }
  }
  doc.end();
  return done;
}

/** A PDF with no text at all (what a scanner produces, minus the image). */
export function shapesOnlyPdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER' });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.rect(72, 72, 200, 100).fill('#333333');
  doc.end();
  return done;
}

/** A PDF of `pages` pages, each with a line of text. */
export function manyPagesPdf(pages: number): Promise<Buffer> {
  return agreementPdf(
    Array.from({ length: pages }, (_, i) => [{ text: `Page ${i + 1}` }, { pageBreak: true as const }])
      .flat()
      .slice(0, -1),
  );
}

/** The 8-byte signature and an IHDR chunk declaring width × height: enough to be sniffed and sized. */
export function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8);
  ihdr.writeUInt8(2, 9);
  const chunk = Buffer.concat([Buffer.from([0, 0, 0, 13]), Buffer.from('IHDR'), ihdr, Buffer.alloc(4)]);
  const end = Buffer.concat([Buffer.alloc(4), Buffer.from('IEND'), Buffer.alloc(4)]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk, end]);
}
