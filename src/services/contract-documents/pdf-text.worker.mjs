// Reads the text layer of an uploaded PDF, off the main event loop (a worker thread with its own memory
// limit, stopped by the caller after a timeout). Plain ESM on purpose: pdfjs-dist ships only ESM.
// Untrusted input: no eval (CVE-2024-4367), no fonts, no network, no worker fetches.
import { TextEncoder } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { getDocument, OPS, Util } from 'pdfjs-dist/legacy/build/pdf.mjs';

const { bytes, maxPages, maxPixels } = workerData;

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
    // A page without text is a scan: hand its largest image to OCR.
    const image = items.length ? null : await largestImage(page);
    if (image && image.width * image.height > maxPixels) {
      return {
        error: {
          code: 'DOCUMENT_PIXEL_LIMIT',
          message: `Page ${number} holds an image of ${image.width}×${image.height} pixels; at most ${maxPixels} are read`,
        },
      };
    }
    pages.push({
      number,
      width: round(viewport.width),
      height: round(viewport.height),
      items,
      image: image && toPpm(image),
    });
    page.cleanup();
  }
  await doc.destroy();
  return { pages };
}

/** The page's largest image as pdf.js decodes it (kind 1: 1 bit grey, 2: RGB, 3: RGBA). */
async function largestImage(page) {
  const ops = await page.getOperatorList();
  let best = null;
  for (let i = 0; i < ops.fnArray.length; i++) {
    let image = null;
    if (ops.fnArray[i] === OPS.paintImageXObject) {
      const name = ops.argsArray[i][0];
      image = await new Promise((resolve) =>
        page.objs.has(name) ? resolve(page.objs.get(name)) : page.objs.get(name, resolve),
      );
    } else if (ops.fnArray[i] === OPS.paintInlineImageXObject) {
      image = ops.argsArray[i][0];
    }
    if (image?.data && (!best || image.width * image.height > best.width * best.height)) best = image;
  }
  return best;
}

/** An image as binary PPM (P6), which OCR reads without any further decoding library. */
function toPpm(image) {
  const { width, height, kind, data } = image;
  const pixels = width * height;
  const rgb = new Uint8Array(pixels * 3);
  if (kind === 2) rgb.set(data.subarray(0, pixels * 3));
  else if (kind === 3) for (let i = 0; i < pixels; i++) rgb.set(data.subarray(i * 4, i * 4 + 3), i * 3);
  else {
    const rowBytes = (width + 7) >> 3;
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const on = (data[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
        rgb.fill(on ? 255 : 0, (y * width + x) * 3, (y * width + x) * 3 + 3);
      }
  }
  const header = new TextEncoder().encode(`P6\n${width} ${height}\n255\n`);
  const ppm = new Uint8Array(header.length + rgb.length);
  ppm.set(header);
  ppm.set(rgb, header.length);
  return { width, height, ppm };
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
