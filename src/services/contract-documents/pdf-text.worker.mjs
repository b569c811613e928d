// Reads the text layer of an uploaded PDF, off the main event loop (a worker thread with its own memory
// limit, stopped by the caller after a timeout). Plain ESM on purpose: pdfjs-dist ships only ESM.
// Untrusted input: no eval (CVE-2024-4367), no fonts, no network, no worker fetches.
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';

const { bytes, maxPages } = workerData;

async function read() {
  const task = getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    isOffscreenCanvasSupported: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  if (doc.numPages > maxPages) {
    return {
      error: {
        code: 'DOCUMENT_PAGE_LIMIT',
        message: `The PDF has ${doc.numPages} pages; at most ${maxPages} are read`,
      },
    };
  }
  const pages = [];
  for (let number = 1; number <= doc.numPages; number++) {
    const page = await doc.getPage(number);
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const items = [];
    for (const item of content.items) {
      if (!('str' in item) || !item.str.trim()) continue;
      const [a, b, c, d, e, f] = Util.transform(viewport.transform, item.transform);
      const height = Math.hypot(c, d) || Math.hypot(a, b);
      items.push({
        text: item.str,
        x: round(e),
        y: round(f - height),
        w: round(item.width * viewport.scale),
        h: round(height),
      });
    }
    pages.push({ number, width: round(viewport.width), height: round(viewport.height), items });
    page.cleanup();
  }
  await doc.destroy();
  return { pages };
}

function round(value) {
  return Math.round(value * 100) / 100;
}

read().then(
  (result) => parentPort.postMessage(result),
  (error) =>
    parentPort.postMessage({
      error: {
        code: error?.name === 'PasswordException' ? 'DOCUMENT_ENCRYPTED' : 'DOCUMENT_UNREADABLE',
        message: String(error?.message ?? error).slice(0, 500),
      },
    }),
);
