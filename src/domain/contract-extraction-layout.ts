import type { Box, Evidence, ReadDocument, TextItem } from './contract-extraction-types';

/**
 * The layout of a read document rebuilt from positioned text: cells (items close together on a line),
 * lines (cells sharing a baseline), columns kept apart, checkbox options that are not ticked removed, and
 * "units": a label/value or table row (one line of several cells) or a prose sentence (joined across lines).
 */
export interface Cell extends Box {
  text: string;
  /** The least OCR confidence of its words (absent for a text layer). */
  confidence?: number;
}

export interface Line {
  page: number;
  y: number;
  cells: Cell[];
  /** The page column (0 = left or full width, 1 = right) on pages laid out in two columns. */
  column: number;
}

export interface Unit {
  kind: 'ROW' | 'SENTENCE';
  page: number;
  text: string;
  box: Box;
  /** For ROW units: the line's cells (first is usually the label). */
  cells: Cell[];
  /** Position in reading order. */
  order: number;
}

const UNCHECKED = /^[☐□❑]$|^\[ ?\]$/;
const CHECKED = /^[☒☑✓✔■]$|^\[[xX✓]\]$/;

function union(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.w));
  const bottom = Math.max(...boxes.map((b) => b.y + b.h));
  return { x, y, w: right - x, h: bottom - y };
}

/** Items on one baseline, left to right, merged into cells where the gap is about a space or two wide. */
function cellsOf(items: TextItem[]): Cell[] {
  const sorted = [...items].sort((a, b) => a.x - b.x).map(ocrFixes);
  const wordCounts = new Map<Cell, number>();
  const cells: Cell[] = [];
  for (const item of sorted) {
    const last = cells[cells.length - 1];
    const gap = last ? item.x - (last.x + last.w) : Infinity;
    const isBox = UNCHECKED.test(item.text.trim()) || CHECKED.test(item.text.trim());
    const lastIsBox = last ? UNCHECKED.test(last.text.trim()) || CHECKED.test(last.text.trim()) : false;
    if (last && !isBox && !lastIsBox && gap < Math.max(item.h, last.h) * 1.2) {
      const box = union([last, item]);
      if (item.confidence !== undefined) {
        // The mean of the words' confidences: one smudged word does not make a whole line doubtful.
        const words = (wordCounts.get(last) ?? 1) + 1;
        last.confidence = ((last.confidence ?? item.confidence) * (words - 1) + item.confidence) / words;
        wordCounts.set(last, words);
      }
      last.text =
        gap > item.h * 0.15 && !/\s$/.test(last.text) ? `${last.text} ${item.text}` : last.text + item.text;
      Object.assign(last, box);
    } else {
      cells.push({
        text: item.text,
        x: item.x,
        y: item.y,
        w: item.w,
        h: item.h,
        confidence: item.confidence,
      });
    }
  }
  return cells.map((c) => ({ ...c, text: c.text.replace(/\s+/g, ' ').trim() })).filter((c) => c.text);
}

/**
 * OCR reads "$" as "s" or "S" before an amount now and then; an amount with decimals after a lone s is a
 * dollar amount (a little less sure).
 */
function ocrFixes(item: TextItem): TextItem {
  if (item.confidence === undefined) return item;
  const dollar = /^[sS](\d{1,3}(?:,\d{3})*\.\d{2,4})$/.exec(item.text);
  return dollar ? { ...item, text: `$${dollar[1]}`, confidence: item.confidence * 0.9 } : item;
}

/** Lines of a page: items whose vertical centres are within half a line of each other. */
function linesOf(page: number, items: TextItem[]): Line[] {
  const sorted = [...items].sort((a, b) => a.y + a.h / 2 - (b.y + b.h / 2));
  const groups: TextItem[][] = [];
  for (const item of sorted) {
    const group = groups[groups.length - 1];
    const centre = item.y + item.h / 2;
    const ref = group?.[0];
    if (ref && Math.abs(ref.y + ref.h / 2 - centre) <= Math.max(ref.h, item.h) * 0.45) group.push(item);
    else groups.push([item]);
  }
  return groups.map((group) => ({
    page,
    y: Math.min(...group.map((i) => i.y)),
    cells: cellsOf(group),
    column: 0,
  }));
}

/**
 * A vertical gutter near the middle of the page that no cell crosses over most of its height means two
 * columns: cells right of it are read after the whole left column.
 */
function assignColumns(lines: Line[], width: number): void {
  const cells = lines.flatMap((l) => l.cells.map((c) => ({ c, l })));
  if (cells.length < 20) return;
  let best: { x: number; crossing: number } | null = null;
  for (let x = width * 0.35; x <= width * 0.65; x += 4) {
    const crossing = cells.filter(({ c }) => c.x < x && c.x + c.w > x).length;
    const left = cells.filter(({ c }) => c.x + c.w <= x).length;
    const right = cells.filter(({ c }) => c.x >= x).length;
    if (left > 8 && right > 8 && (!best || crossing < best.crossing)) best = { x, crossing };
  }
  if (!best || best.crossing > cells.length * 0.08) return;
  // Columns of running text, not a form's labels beside their values: both sides hold wide cells.
  const wide = (c: Cell) => c.w > width * 0.25;
  const gutterX = best.x;
  const leftWide = cells.filter(({ c }) => c.x + c.w <= gutterX && wide(c)).length;
  const rightWide = cells.filter(({ c }) => c.x >= gutterX && wide(c)).length;
  if (leftWide < 5 || rightWide < 5) return;
  const gutter = best.x;
  const rightLines: Line[] = [];
  for (const line of lines) {
    const right = line.cells.filter((c) => c.x >= gutter);
    const left = line.cells.filter((c) => c.x < gutter);
    if (left.length && right.length) {
      line.cells = left;
      rightLines.push({ ...line, cells: right, column: 1 });
    } else if (!left.length && right.length) {
      line.column = 1;
    }
  }
  lines.push(...rightLines);
}

/** Drops checkbox options that are not ticked (and the boxes themselves), keeping ticked ones' text. */
function keepTickedOptions(cells: Cell[]): Cell[] {
  const out: Cell[] = [];
  let skipping = false;
  for (const cell of cells) {
    const text = cell.text.trim();
    if (UNCHECKED.test(text)) skipping = true;
    else if (CHECKED.test(text)) skipping = false;
    else if (!skipping) out.push(cell);
  }
  return out;
}

export function documentLines(document: ReadDocument): Line[] {
  const lines: Line[] = [];
  for (const page of document.pages) {
    const pageLines = linesOf(page.number, page.items);
    assignColumns(pageLines, page.width);
    for (const line of pageLines) {
      const hadUnticked = line.cells.some((c) => UNCHECKED.test(c.text.trim()));
      line.cells = keepTickedOptions(line.cells);
      // A line whose only option was left unticked says nothing.
      if (line.cells.length || !hadUnticked) lines.push(line);
    }
  }
  return lines
    .filter((l) => l.cells.length)
    .sort((a, b) => a.page - b.page || a.column - b.column || a.y - b.y);
}

const isProseCell = (cell: Cell, pageWidth: number) => cell.w > pageWidth * 0.3;

/**
 * Reading units: a line of several cells (label and value, or a table row) is a ROW; single wide cells
 * are prose, joined into paragraphs across lines and split into sentences.
 */
export function readingUnits(document: ReadDocument): Unit[] {
  const widths = new Map(document.pages.map((p) => [p.number, p.width]));
  const units: Unit[] = [];
  let paragraph: Cell[] = [];
  let paragraphPage = 0;
  const flush = () => {
    if (!paragraph.length) return;
    let text = '';
    const spans: Array<{ start: number; cell: Cell }> = [];
    for (const cell of paragraph) {
      if (text && !text.endsWith('-')) text += ' ';
      spans.push({ start: text.length, cell });
      text += cell.text;
    }
    // Sentences end at . ; or : followed by a capital or a digit (not after a lone initial or "Inc").
    const bounds = [0];
    for (const m of text.matchAll(
      /(?<!\b(?:Inc|Ltd|Co|No|St|Mr|Ms|Dr|U\.S|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z]))[.;]\s+(?=[A-Z0-9“"(])/g,
    ))
      bounds.push(m.index! + m[0].length);
    bounds.push(text.length);
    for (let i = 0; i + 1 < bounds.length; i++) {
      const [start, end] = [bounds[i], bounds[i + 1]];
      const cells = spans
        .filter((s, j) => s.start < end && (spans[j + 1]?.start ?? Infinity) > start)
        .map((s) => s.cell);
      if (!cells.length || !text.slice(start, end).trim()) continue;
      units.push({
        kind: 'SENTENCE',
        page: paragraphPage,
        text: text.slice(start, end).trim(),
        box: union(cells),
        cells,
        order: units.length,
      });
    }
    paragraph = [];
  };
  let previous: Line | null = null;
  for (const line of documentLines(document)) {
    const width = widths.get(line.page) ?? 612;
    const single = line.cells.length === 1 && isProseCell(line.cells[0], width);
    const continues =
      previous &&
      paragraph.length &&
      previous.page === line.page &&
      previous.column === line.column &&
      line.y - previous.y < line.cells[0].h * 2.2;
    // The last line of a paragraph is often short: it continues when it starts at the paragraph's margin.
    const margin = paragraph.length ? Math.min(...paragraph.map((c) => c.x)) : -1;
    const tail = line.cells.length === 1 && Math.abs(line.cells[0].x - margin) < 4;
    if ((single || tail) && continues) {
      paragraph.push(line.cells[0]);
    } else {
      flush();
      if (single) {
        paragraph = [line.cells[0]];
        paragraphPage = line.page;
      } else if (isProse(line, width) || isNumberedClause(line, width)) {
        paragraph = [...line.cells];
        paragraphPage = line.page;
      } else {
        units.push({
          kind: 'ROW',
          page: line.page,
          text: line.cells.map((c) => c.text).join(' | '),
          box: union(line.cells),
          cells: line.cells,
          order: units.length,
        });
      }
    }
    previous = line;
  }
  flush();
  return units.map((u, i) => ({ ...u, order: i }));
}

/** "1. Term. | The subscription term begins …": a clause number or heading followed by running text. */
function isNumberedClause(line: Line, width: number): boolean {
  const [first, ...rest] = line.cells;
  return (
    /^(?:\d+(?:\.\d+)*\.?|[A-Z]\.\d+)(?:\s+[^|]{0,40}\.)?$/.test(first.text) &&
    rest.length > 0 &&
    rest[rest.length - 1].x + rest[rest.length - 1].w > width * 0.6
  );
}

/** A line of several cells that is really running text (words spread by justification), not a table row. */
function isProse(line: Line, width: number): boolean {
  const span = union(line.cells);
  const letters = line.cells.reduce((n, c) => n + c.text.length, 0);
  return line.cells.length > 4 && span.w > width * 0.35 && letters / line.cells.length < 14;
}

/**
 * The evidence of a value read from a unit (or one of its cells). Read by OCR, the rule's confidence is
 * scaled by how sure OCR was of the words (a clean scan reads at 0.9 and above).
 */
export function evidenceOf(unit: Unit, confidence: number, cell?: Cell): Evidence {
  const box = cell ?? unit.box;
  const cells = cell ? [cell] : unit.cells;
  const ocr = cells.reduce((sum, c) => sum + (c.confidence ?? 1), 0) / cells.length;
  confidence = Math.round(confidence * Math.min(1, ocr / 0.9) * 100) / 100;
  return {
    page: unit.page,
    text: unit.text.slice(0, 500),
    box: { x: round(box.x), y: round(box.y), w: round(box.w), h: round(box.h) },
    confidence,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The label of a ROW (its first cell, without a trailing colon), lower-cased. */
export function rowLabel(unit: Unit): string {
  return unit.kind === 'ROW' ? unit.cells[0].text.replace(/[:\s]+$/, '').toLowerCase() : '';
}

/** The value of a ROW: the cells after the label, joined. */
export function rowValue(unit: Unit): string {
  return unit.cells
    .slice(1)
    .map((c) => c.text)
    .join(' ');
}

/**
 * "Label: value" pairs, from ROWs and from cells reading "Label: value"; a ROW's value continues on the
 * following rows that have no label of their own (an address over several lines).
 */
export interface LabeledValue {
  label: string;
  value: string;
  unit: Unit;
  /** The value's lines when it continues below (addresses). */
  lines: string[];
}

export function labeledValues(units: Unit[]): LabeledValue[] {
  const out: LabeledValue[] = [];
  units.forEach((unit, i) => {
    if (unit.kind === 'ROW' && unit.cells.length >= 2 && unit.cells[0].text.length <= 40) {
      const lines = [rowValue(unit)];
      const valueX = unit.cells[1].x;
      for (let j = i + 1; j < units.length && j < i + 5; j++) {
        const next = units[j];
        const first = next.cells[0];
        if (next.page !== unit.page || Math.abs(first.x - valueX) > 3 || next.cells.length !== 1) break;
        if (first.y - unit.box.y > (lines.length + 1) * unit.box.h * 1.8) break;
        lines.push(first.text);
      }
      out.push({ label: rowLabel(unit), value: lines[0], unit, lines });
    }
    for (const cell of unit.kind === 'ROW' ? unit.cells : []) {
      const m = /^([A-Za-z][A-Za-z /()-]{1,38}):\s*(.+)$/.exec(cell.text);
      if (m) out.push({ label: m[1].toLowerCase(), value: m[2], unit, lines: [m[2]] });
    }
  });
  return out;
}
