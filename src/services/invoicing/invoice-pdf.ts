import PDFDocument from 'pdfkit';
import type { RequestContext } from '../../context';
import { Decimal, formatAmount, minorUnitDigits, toWire } from '../../domain/money';
import { OrganizationEntity } from '../../entities/organization.entity';
import type { CustomerService } from '../customers';
import type { InvoiceService, InvoiceView } from './invoice.service';

/**
 * Everything the PDF shows, already read and computed by the invoice service. Amounts, rates and
 * quantities are decimal strings (as on the wire), so this module never does money math with numbers.
 */
export interface InvoicePdfView {
  seller: { name: string };
  customer: { name: string; email?: string | null; externalId?: string | null };
  /** `INV-000001`; null while the invoice is a draft. */
  number: string | null;
  status: string;
  currency: string;
  periodStart: Date;
  /** Exclusive: the first instant not covered. */
  periodEnd: Date;
  issuedAt: Date | null;
  dueDate: Date | null;
  lines: InvoicePdfLine[];
  subtotal: string;
  creditsApplied: string;
  total: string;
  amountDue: string;
  /** What the customer's balance paid (credit notes), shown before prepaid credits when not zero. */
  balanceApplied?: string;
  /** A credit note reuses the layout: its own title, number label and a single "Total credited" row. */
  document?: 'INVOICE' | 'CREDIT_NOTE';
  /** Shown under the number, e.g. "Credits INV-000004 — Duplicate usage". */
  reference?: string | null;
}

export interface InvoicePdfLine {
  description: string;
  dimensions: Record<string, string> | null;
  quantity: string;
  rate: string | null;
  unitSize: string | null;
  amount: string;
  creditsApplied: string;
}

/**
 * Maps the invoice service's view (draft priced live, or frozen) to what the PDF shows: amounts are the
 * strings the API returns (the currency's minor digits), rates and quantities keep the digits they have.
 */
export function toInvoicePdfView(
  view: InvoiceView,
  seller: string,
  customer: InvoicePdfView['customer'],
): InvoicePdfView {
  const { invoice } = view;
  return {
    seller: { name: seller },
    customer,
    number: invoice.number,
    status: invoice.status,
    currency: invoice.currency,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    issuedAt: invoice.issuedAt,
    dueDate: invoice.dueDate,
    lines: view.lines.map((line) => ({
      description: line.description,
      dimensions: line.dimensions,
      quantity: toWire(line.quantity),
      rate: line.rate ? toWire(line.rate) : null,
      unitSize: line.unitSize ? toWire(line.unitSize) : null,
      amount: formatAmount(line.amount, invoice.currency),
      creditsApplied: formatAmount(line.creditsApplied, invoice.currency),
    })),
    subtotal: formatAmount(view.subtotal, invoice.currency),
    creditsApplied: formatAmount(view.creditsApplied, invoice.currency),
    balanceApplied: formatAmount(view.balanceApplied, invoice.currency),
    total: formatAmount(view.total, invoice.currency),
    amountDue: formatAmount(view.amountDue, invoice.currency),
  };
}

/** Reads an invoice of the caller's environment (NOT_FOUND otherwise) with its seller and customer. */
export async function loadInvoicePdfView(
  ctx: RequestContext,
  services: { invoices: InvoiceService; customers: CustomerService },
  invoiceId: string,
): Promise<InvoicePdfView> {
  const invoice = await services.invoices.getByIdOrThrow(ctx, invoiceId);
  const [view, customer, organization] = await Promise.all([
    services.invoices.view(ctx, invoice),
    services.customers.getByIdOrThrow(ctx, invoice.customerId),
    ctx.repo(OrganizationEntity).findOne({ where: { id: ctx.organizationId } }),
  ]);
  return toInvoicePdfView(view, organization?.name ?? 'Tally', {
    name: customer.name,
    email: customer.email,
    externalId: customer.externalId,
  });
}

/** File name for downloads: `INV-000001.pdf`, or `draft-<id>.pdf` before finalization. */
export function invoicePdfFileName(view: InvoicePdfView, invoiceId: string): string {
  return `${view.number ?? `draft-${invoiceId}`}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');
}

const PAGE = { size: 'A4' as const, margin: 50 };
const COLUMNS = { description: 50, quantity: 300, rate: 385, amount: 470, right: 545 };
const INK = '#1f2933';
const MUTED = '#616e7c';
const RULE = '#cbd2d9';
const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£' };

/** Groups the whole part of a fixed-point string by thousands: "1234567.50" → "1,234,567.50". */
function groupThousands(fixed: string): string {
  const negative = fixed.startsWith('-');
  const [whole, fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

/** "$1,234.50", "€0.25", "CHF 12.00". */
export function formatMoney(amount: string, currency: string): string {
  const value = new Decimal(amount);
  const text = groupThousands(value.abs().toFixed(minorUnitDigits(currency)));
  const symbol = SYMBOLS[currency];
  const sign = value.isNegative() && !value.isZero() ? '-' : '';
  return symbol ? `${sign}${symbol}${text}` : `${sign}${currency} ${text}`;
}

/** A rate keeps its precision ($0.000002) but shows at least the currency's minor digits. */
export function formatRate(rate: string, currency: string): string {
  const value = new Decimal(rate);
  const digits = Math.max(minorUnitDigits(currency), value.decimalPlaces());
  const symbol = SYMBOLS[currency];
  const text = groupThousands(value.toFixed(digits));
  return symbol ? `${symbol}${text}` : `${currency} ${text}`;
}

export function formatQuantity(quantity: string): string {
  return groupThousands(new Decimal(quantity).toFixed());
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

export function formatDate(date: Date): string {
  return DATE_FORMAT.format(date);
}

/** The period as people read it: the exclusive end shown as the last day covered. */
export function formatPeriod(start: Date, endExclusive: Date): string {
  const lastDay = new Date(Math.max(start.getTime(), endExclusive.getTime() - 1));
  return `${formatDate(start)} – ${formatDate(lastDay)}`;
}

function dimensionsText(dimensions: Record<string, string> | null): string {
  if (!dimensions) return '';
  return Object.keys(dimensions)
    .sort()
    .map((key) => `${key}: ${dimensions[key]}`)
    .join(', ');
}

function rateText(line: InvoicePdfLine, currency: string): string {
  if (line.rate === null) return '';
  const rate = formatRate(line.rate, currency);
  if (!line.unitSize || new Decimal(line.unitSize).eq(1)) return rate;
  return `${rate} / ${formatQuantity(line.unitSize)}`;
}

/**
 * Lays out an invoice on A4 pages with pdfkit's standard Helvetica: header with seller and number,
 * bill-to and dates, one row per line (dimension values under the description), totals with the
 * credits applied and the amount due, and "Page n of m" on every page. Returns the PDF bytes.
 */
export function renderInvoicePdf(view: InvoicePdfView): Promise<Buffer> {
  const doc = new PDFDocument({
    size: PAGE.size,
    margin: PAGE.margin,
    bufferPages: true,
    info: {
      Title: `${isCreditNote(view) ? 'Credit note' : 'Invoice'} ${view.number ?? '(draft)'} — ${view.customer.name}`,
      Author: view.seller.name,
      Creator: 'Tally',
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  drawHeader(doc, view);
  drawParties(doc, view);
  drawLines(doc, view);
  drawTotals(doc, view);
  drawPageNumbers(doc, view);
  doc.end();
  return done;
}

type Doc = InstanceType<typeof PDFDocument>;

function isCreditNote(view: InvoicePdfView): boolean {
  return view.document === 'CREDIT_NOTE';
}

function bottomLimit(doc: Doc): number {
  return doc.page.height - PAGE.margin - 30;
}

function drawHeader(doc: Doc, view: InvoicePdfView): void {
  const top = PAGE.margin;
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(view.seller.name, COLUMNS.description, top, {
    width: 280,
  });
  const title = isCreditNote(view) ? 'Credit note' : view.number ? 'Invoice' : 'Draft invoice';
  doc.fontSize(18).text(title, 330, top, { width: COLUMNS.right - 330, align: 'right' });
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(MUTED)
    .text(view.number ?? `Status: ${view.status}`, 330, top + 24, {
      width: COLUMNS.right - 330,
      align: 'right',
    });
  if (view.reference) {
    doc.text(view.reference, 330, doc.y + 2, { width: COLUMNS.right - 330, align: 'right' });
  }
  doc.y = Math.max(top + 60, doc.y + 10);
}

function labelled(doc: Doc, label: string, value: string, x: number, y: number, width: number): void {
  doc.font('Helvetica').fontSize(8).fillColor(MUTED).text(label.toUpperCase(), x, y, { width });
  doc
    .font('Helvetica')
    .fontSize(10)
    .fillColor(INK)
    .text(value, x, y + 11, { width });
}

function drawParties(doc: Doc, view: InvoicePdfView): void {
  const y = doc.y;
  doc.font('Helvetica').fontSize(8).fillColor(MUTED).text('BILL TO', COLUMNS.description, y);
  doc
    .font('Helvetica-Bold')
    .fontSize(11)
    .fillColor(INK)
    .text(view.customer.name, COLUMNS.description, y + 11, {
      width: 240,
    });
  const extra = [view.customer.email, view.customer.externalId].filter(Boolean).join('\n');
  if (extra) doc.font('Helvetica').fontSize(10).fillColor(MUTED).text(extra, { width: 240 });
  const partiesBottom = doc.y;

  const right = 330;
  const width = COLUMNS.right - right;
  const numberLabel = isCreditNote(view) ? 'Credit note number' : 'Invoice number';
  labelled(doc, numberLabel, view.number ?? 'Not issued (draft)', right, y, width);
  labelled(doc, 'Billing period', formatPeriod(view.periodStart, view.periodEnd), right, y + 30, width);
  labelled(doc, 'Issue date', view.issuedAt ? formatDate(view.issuedAt) : '—', right, y + 60, width / 2);
  labelled(
    doc,
    'Due date',
    view.dueDate ? formatDate(view.dueDate) : '—',
    right + width / 2,
    y + 60,
    width / 2,
  );
  doc.y = Math.max(partiesBottom, y + 90) + 20;
}

function drawTableHeader(doc: Doc): void {
  const y = doc.y;
  doc.font('Helvetica-Bold').fontSize(9).fillColor(MUTED);
  doc.text('DESCRIPTION', COLUMNS.description, y, { width: COLUMNS.quantity - COLUMNS.description - 10 });
  doc.text('QUANTITY', COLUMNS.quantity, y, { width: COLUMNS.rate - COLUMNS.quantity - 10, align: 'right' });
  doc.text('RATE', COLUMNS.rate, y, { width: COLUMNS.amount - COLUMNS.rate - 10, align: 'right' });
  doc.text('AMOUNT', COLUMNS.amount, y, { width: COLUMNS.right - COLUMNS.amount, align: 'right' });
  const ruleY = y + 14;
  doc
    .moveTo(COLUMNS.description, ruleY)
    .lineTo(COLUMNS.right, ruleY)
    .lineWidth(0.8)
    .strokeColor(RULE)
    .stroke();
  doc.y = ruleY + 6;
}

function lineHeight(doc: Doc, line: InvoicePdfLine): number {
  const width = COLUMNS.quantity - COLUMNS.description - 10;
  doc.font('Helvetica').fontSize(10);
  let height = doc.heightOfString(line.description, { width });
  const dims = dimensionsText(line.dimensions);
  if (dims) height += doc.fontSize(8).heightOfString(dims, { width }) + 2;
  return height + 10;
}

function drawLines(doc: Doc, view: InvoicePdfView): void {
  drawTableHeader(doc);
  if (view.lines.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(10)
      .fillColor(MUTED)
      .text('No charges in this period.', COLUMNS.description);
    doc.moveDown();
    return;
  }
  for (const line of view.lines) {
    const height = lineHeight(doc, line);
    if (doc.y + height > bottomLimit(doc)) {
      doc.addPage();
      drawTableHeader(doc);
    }
    const y = doc.y;
    const descWidth = COLUMNS.quantity - COLUMNS.description - 10;
    doc.font('Helvetica').fontSize(10).fillColor(INK).text(line.description, COLUMNS.description, y, {
      width: descWidth,
    });
    const dims = dimensionsText(line.dimensions);
    if (dims)
      doc
        .fontSize(8)
        .fillColor(MUTED)
        .text(dims, COLUMNS.description, doc.y + 2, { width: descWidth });
    doc.font('Helvetica').fontSize(10).fillColor(INK);
    doc.text(line.quantity ? formatQuantity(line.quantity) : '', COLUMNS.quantity, y, {
      width: COLUMNS.rate - COLUMNS.quantity - 10,
      align: 'right',
    });
    doc.text(rateText(line, view.currency), COLUMNS.rate, y, {
      width: COLUMNS.amount - COLUMNS.rate - 10,
      align: 'right',
    });
    doc.text(formatMoney(line.amount, view.currency), COLUMNS.amount, y, {
      width: COLUMNS.right - COLUMNS.amount,
      align: 'right',
    });
    doc.y = y + height;
    doc
      .moveTo(COLUMNS.description, doc.y - 5)
      .lineTo(COLUMNS.right, doc.y - 5)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
  }
}

function drawTotals(doc: Doc, view: InvoicePdfView): void {
  const rows: Array<[string, string, boolean]> = [
    ['Subtotal', formatMoney(view.subtotal, view.currency), false],
  ];
  if (isCreditNote(view)) {
    rows.splice(0, 1, ['Total credited', formatMoney(view.total, view.currency), true]);
    drawTotalRows(doc, rows);
    return;
  }
  // Total is shown only when something (taxes, discounts) makes it differ from the subtotal.
  if (!new Decimal(view.total).eq(view.subtotal))
    rows.push(['Total', formatMoney(view.total, view.currency), false]);
  rows.push(
    [
      'Prepaid credits applied',
      formatMoney(new Decimal(view.creditsApplied).neg().toFixed(), view.currency),
      false,
    ],
    ['Amount due', formatMoney(view.amountDue, view.currency), true],
  );
  if (view.balanceApplied && !new Decimal(view.balanceApplied).isZero()) {
    const balance = formatMoney(new Decimal(view.balanceApplied).neg().toFixed(), view.currency);
    rows.splice(rows.length - 2, 0, ['Customer balance applied', balance, false]);
  }
  drawTotalRows(doc, rows);
}

function drawTotalRows(doc: Doc, rows: ReadonlyArray<[string, string, boolean]>): void {
  const needed = rows.length * 18 + 20;
  if (doc.y + needed > bottomLimit(doc)) doc.addPage();
  let y = doc.y + 8;
  const labelX = 330;
  for (const [label, value, strong] of rows) {
    doc
      .font(strong ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(strong ? 12 : 10)
      .fillColor(INK);
    doc.text(label, labelX, y, { width: COLUMNS.amount - labelX - 10 });
    doc.text(value, COLUMNS.amount - 40, y, { width: COLUMNS.right - COLUMNS.amount + 40, align: 'right' });
    y += strong ? 22 : 18;
    if (label === 'Prepaid credits applied') {
      doc
        .moveTo(labelX, y - 4)
        .lineTo(COLUMNS.right, y - 4)
        .lineWidth(0.8)
        .strokeColor(RULE)
        .stroke();
      y += 2;
    }
  }
  doc.y = y;
}

function drawPageNumbers(doc: Doc, view: InvoicePdfView): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - PAGE.margin - 10;
    // Writing inside the bottom margin would start a new page; lift the margin for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(MUTED)
      .text(
        `${view.seller.name} · ${view.number ?? 'Draft invoice'} · Page ${i - range.start + 1} of ${range.count}`,
        COLUMNS.description,
        y,
        { width: COLUMNS.right - COLUMNS.description, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}
