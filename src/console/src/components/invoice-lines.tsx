import type { Invoice, InvoiceLine } from '../api/types';
import { dimensionsLabel, formatMoney, formatQuantity, formatRate } from '../format';
import { Link } from './link';

/** Where the events behind a line's quantity are: same customer, the invoice period, the line's dimensions. */
export function eventsHref(invoice: Invoice, line: InvoiceLine): string {
  const params = new URLSearchParams({
    customerId: invoice.customer.id,
    from: invoice.periodStart,
    to: invoice.periodEnd,
  });
  if (line.meterCode) params.set('meterCode', line.meterCode);
  for (const [key, value] of Object.entries(line.dimensions ?? {})) params.set(`dim.${key}`, value);
  params.set('label', line.description);
  return `/events?${params.toString()}`;
}

function LineRow({ invoice, line }: { invoice: Invoice; line: InvoiceLine }) {
  const dims = dimensionsLabel(line.dimensions);
  return (
    <tr>
      <th scope="row">
        {line.description}
        {line.rateSource === 'OVERRIDE' ? <span class="tag">contract rate</span> : null}
        {line.rateSource === 'FALLBACK' ? <span class="tag">fallback rate</span> : null}
      </th>
      <td>{dims || '—'}</td>
      <td class="num">
        {line.meterCode ? (
          <Link
            href={eventsHref(invoice, line)}
            aria-label={`${formatQuantity(line.quantity)}: show the events behind ${line.description}`}
          >
            {formatQuantity(line.quantity)}
          </Link>
        ) : (
          formatQuantity(line.quantity)
        )}
      </td>
      <td class="num">{formatRate(line.rate, invoice.currency, line.unitSize)}</td>
      <td class="num">{formatMoney(line.amount, invoice.currency)}</td>
      <td class="num">
        {line.creditsApplied && !/^[0.]*$/.test(line.creditsApplied)
          ? `−${formatMoney(line.creditsApplied, invoice.currency)}`
          : '—'}
      </td>
    </tr>
  );
}

/** Line items per dimension with quantity, rate, amount and credits, then the totals down to the amount due. */
export function InvoiceLines({ invoice }: { invoice: Invoice }) {
  const currency = invoice.currency;
  return (
    <div class="table-wrap">
      <table class="invoice-lines">
        <caption class="visually-hidden">Invoice lines</caption>
        <thead>
          <tr>
            <th scope="col">Description</th>
            <th scope="col">Dimensions</th>
            <th scope="col" class="num">
              Quantity
            </th>
            <th scope="col" class="num">
              Rate
            </th>
            <th scope="col" class="num">
              Amount
            </th>
            <th scope="col" class="num">
              Credits
            </th>
          </tr>
        </thead>
        <tbody>
          {invoice.lines.length === 0 ? (
            <tr>
              <td colSpan={6} class="empty">
                No usage in this period yet.
              </td>
            </tr>
          ) : (
            invoice.lines.map((line, i) => <LineRow key={i} invoice={invoice} line={line} />)
          )}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={4}>
              Subtotal
            </th>
            <td class="num" data-total="subtotal">
              {formatMoney(invoice.subtotal, currency)}
            </td>
            <td />
          </tr>
          <tr>
            <th scope="row" colSpan={4}>
              Prepaid credits applied
            </th>
            <td class="num" data-total="credits">
              {invoice.creditsApplied && !/^[0.]*$/.test(invoice.creditsApplied)
                ? `−${formatMoney(invoice.creditsApplied, currency)}`
                : formatMoney('0', currency)}
            </td>
            <td />
          </tr>
          <tr class="amount-due">
            <th scope="row" colSpan={4}>
              Amount due
            </th>
            <td class="num" data-total="amount-due">
              {formatMoney(invoice.amountDue, currency)}
            </td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
