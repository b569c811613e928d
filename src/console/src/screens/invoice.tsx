import { useState } from 'preact/hooks';
import { ApiError, fetchBlob } from '../api/client';
import { useApi, useFeature, useQuery } from '../api/hooks';
import { FEATURES, INVOICE, invoicePdfPath } from '../api/queries';
import type { Invoice } from '../api/types';
import { ErrorNotice, Loading, StatusBadge, Unavailable } from '../components/feedback';
import { InvoiceLines } from '../components/invoice-lines';
import { Link } from '../components/link';
import { Page, Panel } from '../components/page';
import { formatDate, formatMoney, formatPeriod } from '../format';
import { InvoiceCreditNotes } from './credit-notes';

/**
 * The PDF needs the bearer key, so it is fetched here and handed to the browser as a blob URL:
 * "PDF" opens it in a new tab, "Download PDF" saves it.
 */
function PdfButtons({ invoice }: { invoice: Invoice }) {
  const { key } = useApi();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const fileName = `${invoice.number ?? `draft-${invoice.id}`}.pdf`;
  const withPdf = async (use: (url: string) => void) => {
    setBusy(true);
    setError(null);
    try {
      const blob = await fetchBlob(key.apiKey, invoicePdfPath(invoice.id));
      const url = URL.createObjectURL(blob);
      use(url);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(String(e)));
    } finally {
      setBusy(false);
    }
  };
  const open = () =>
    withPdf((url) => {
      window.open(url, '_blank', 'noopener');
    });
  const download = () =>
    withPdf((url) => {
      const a = document.createElement('a');
      a.href = url;
      a.download = fileName;
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
  return (
    <div class="button-row">
      <button type="button" onClick={() => void open()} disabled={busy}>
        PDF
      </button>
      <button type="button" onClick={() => void download()} disabled={busy}>
        Download PDF
      </button>
      <ErrorNotice error={error} action="render the PDF" />
    </div>
  );
}

function InvoiceFacts({ invoice }: { invoice: Invoice }) {
  return (
    <dl class="facts">
      <div>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={invoice.status} />
        </dd>
      </div>
      <div>
        <dt>Billing period</dt>
        <dd>{formatPeriod(invoice.periodStart, invoice.periodEnd)}</dd>
      </div>
      <div>
        <dt>Issued</dt>
        <dd>{formatDate(invoice.issuedAt)}</dd>
      </div>
      <div>
        <dt>Due</dt>
        <dd>{formatDate(invoice.dueDate)}</dd>
      </div>
      <div>
        <dt>Amount due</dt>
        <dd class="strong">{formatMoney(invoice.amountDue, invoice.currency)}</dd>
      </div>
    </dl>
  );
}

export function InvoiceScreen({ id }: { id: string }) {
  const available = useFeature('invoices');
  const { data, error, loading } = useQuery<{ invoice: Invoice }>(INVOICE, { id }, { skip: !available });
  const invoice = data?.invoice;
  const title = invoice ? (invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice') : 'Invoice';
  return (
    <Page
      title={title}
      actions={
        invoice ? (
          <>
            <PdfButtons invoice={invoice} />
            <Link href={`/customers/${invoice.customer.id}`}>Customer</Link>
          </>
        ) : null
      }
    >
      {!available ? <Unavailable fields={FEATURES.invoices} /> : null}
      <ErrorNotice error={error} action="load the invoice" />
      {loading && !data ? <Loading what="the invoice" /> : null}
      {invoice ? (
        <>
          <InvoiceFacts invoice={invoice} />
          <Panel title="Line items">
            <p class="muted small">Select a quantity to see the usage events behind it.</p>
            <InvoiceLines invoice={invoice} />
          </Panel>
          {invoice.status !== 'DRAFT' ? <InvoiceCreditNotes invoiceId={invoice.id} /> : null}
        </>
      ) : null}
    </Page>
  );
}
