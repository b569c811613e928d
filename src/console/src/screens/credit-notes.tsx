import { useFeature, useQuery } from '../api/hooks';
import { CUSTOMER_BALANCE, FEATURES, INVOICE_CREDIT_NOTES } from '../api/queries';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Panel } from '../components/page';
import { formatDate, formatMoney, humanize } from '../format';

interface CreditNoteRow {
  id: string;
  number: string;
  reason: string;
  refund: string;
  total: string;
  createdAt: string;
  currency?: string;
  invoice?: { id: string; number: string | null };
  lines?: Array<{ description: string; quantity: string | null; amount: string }>;
}

/** The invoice's credit notes (what each credits, line by line) and what the customer's balance paid of it. */
export function InvoiceCreditNotes({ invoiceId }: { invoiceId: string }) {
  const available = useFeature('creditNotes');
  const { data, error, loading } = useQuery<{
    invoice: { currency: string; balanceApplied: string; creditNotes: CreditNoteRow[] };
  }>(INVOICE_CREDIT_NOTES, { id: invoiceId }, { skip: !available });
  const invoice = data?.invoice;
  return (
    <Panel title="Credit notes">
      {!available ? <Unavailable fields={FEATURES.creditNotes} /> : null}
      <ErrorNotice error={error} action="load the credit notes" />
      {loading && !data ? <Loading what="credit notes" /> : null}
      {invoice && Number(invoice.balanceApplied) !== 0 ? (
        <p class="muted small">
          Customer balance applied: {formatMoney(invoice.balanceApplied, invoice.currency)}
        </p>
      ) : null}
      {invoice && invoice.creditNotes.length === 0 ? <p class="empty">No credit notes.</p> : null}
      {invoice?.creditNotes.map((note) => (
        <div key={note.id} class="table-wrap">
          <p>
            <strong>{note.number}</strong> · {formatDate(note.createdAt)} · {note.reason} ·{' '}
            {humanize(note.refund)} · {formatMoney(note.total, invoice.currency)}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Quantity</th>
                <th scope="col">Credited</th>
              </tr>
            </thead>
            <tbody>
              {(note.lines ?? []).map((line, index) => (
                <tr key={index}>
                  <td>{line.description}</td>
                  <td class="num">{line.quantity ?? '—'}</td>
                  <td class="num">{formatMoney(line.amount, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </Panel>
  );
}

/** The customer's balance per currency and their latest credit notes. */
export function CustomerBalance({ customerId }: { customerId: string }) {
  const available = useFeature('creditNotes');
  const { data, error, loading } = useQuery<{
    customer: { balance: Array<{ currency: string; amount: string }> };
    creditNotes: { nodes: CreditNoteRow[] };
  }>(CUSTOMER_BALANCE, { customerId }, { skip: !available });
  const balance = data?.customer.balance ?? [];
  const notes = data?.creditNotes.nodes ?? [];
  return (
    <Panel title="Balance and credit notes">
      {!available ? <Unavailable fields={FEATURES.creditNotes} /> : null}
      <ErrorNotice error={error} action="load the balance" />
      {loading && !data ? <Loading what="the balance" /> : null}
      {data ? (
        <p>
          Balance:{' '}
          {balance.length
            ? balance.map((b) => formatMoney(b.amount, b.currency)).join(', ')
            : 'none (credit notes refunded to the balance pay later invoices first)'}
        </p>
      ) : null}
      {notes.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Credit note</th>
                <th scope="col">Invoice</th>
                <th scope="col">Date</th>
                <th scope="col">Reason</th>
                <th scope="col">Refund</th>
                <th scope="col">Total</th>
              </tr>
            </thead>
            <tbody>
              {notes.map((note) => (
                <tr key={note.id}>
                  <td>{note.number}</td>
                  <td>
                    {note.invoice ? (
                      <Link href={`/invoices/${note.invoice.id}`}>
                        {note.invoice.number ?? note.invoice.id}
                      </Link>
                    ) : null}
                  </td>
                  <td>{formatDate(note.createdAt)}</td>
                  <td>{note.reason}</td>
                  <td>{humanize(note.refund)}</td>
                  <td class="num">{formatMoney(note.total, note.currency ?? 'USD')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}
