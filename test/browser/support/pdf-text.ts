import { execFileSync } from 'node:child_process';

/**
 * The text of a PDF, extracted with pdf-parse (pdf.js) in a child Node process: pdf.js loads ES modules
 * dynamically, which jest's module sandbox does not allow.
 */
export function pdfText(pdf: Buffer): string {
  const script = `
    const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => {
      const parser = new PDFParse({ data: Buffer.concat(chunks) });
      const result = await parser.getText();
      await parser.destroy();
      process.stdout.write(JSON.stringify({ text: result.text, pages: result.total }));
    });`;
  const out = execFileSync(process.execPath, ['-e', script], { input: pdf, cwd: process.cwd() });
  return (JSON.parse(out.toString('utf8')) as { text: string }).text;
}
