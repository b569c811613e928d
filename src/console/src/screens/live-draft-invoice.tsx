import { useState } from 'preact/hooks';
import { useFeature, useQuery } from '../api/hooks';
import { useSubscription } from '../api/live';
import { DRAFT_INVOICE, DRAFT_INVOICE_UPDATED, FEATURES } from '../api/queries';
import type { Contract, Invoice } from '../api/types';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { InvoiceLines } from '../components/invoice-lines';
import { Link } from '../components/link';
import { Panel } from '../components/page';
import { formatDateTime, formatPeriod } from '../format';

const LIVE_LABEL = {
  connecting: 'Connecting…',
  live: 'Live',
  closed: 'Not live',
  error: 'Live updates failed',
};

/** The current period's draft invoice of a contract, updated over the draftInvoiceUpdated subscription. */
export function LiveDraftInvoice({ contract, customerId }: { contract: Contract; customerId: string }) {
  const available = useFeature('draftInvoice');
  const live = useFeature('draftInvoiceLive');
  const [pushed, setPushed] = useState<{ invoice: Invoice; at: string } | null>(null);
  const query = useQuery<{ draftInvoice: Invoice | null }>(
    DRAFT_INVOICE,
    { contractId: contract.id },
    { skip: !available },
  );
  const status = useSubscription<{ draftInvoiceUpdated: Invoice }>(
    DRAFT_INVOICE_UPDATED,
    { customerId },
    (data) => {
      const invoice = data.draftInvoiceUpdated;
      if (invoice && (!invoice.contract || invoice.contract.id === contract.id)) {
        setPushed({ invoice, at: new Date().toISOString() });
      }
    },
    { skip: !live },
  );
  const invoice = pushed?.invoice ?? query.data?.draftInvoice ?? null;

  return (
    <Panel
      title={`Current draft invoice · ${contract.plan?.name ?? 'contract'}`}
      id={`draft-invoice-${contract.id}`}
    >
      {!available ? <Unavailable fields={FEATURES.draftInvoice} /> : null}
      <ErrorNotice error={query.error} action="load the draft invoice" />
      {query.loading && !invoice ? <Loading what="the draft invoice" /> : null}
      {invoice ? (
        <>
          <p class="invoice-meta">
            <span>{formatPeriod(invoice.periodStart, invoice.periodEnd)}</span>
            <span class={`live live-${live ? status : 'closed'}`} role="status" aria-live="polite">
              {live ? LIVE_LABEL[status] : 'Refresh to update'}
              {pushed ? ` · updated ${formatDateTime(pushed.at)}` : ''}
            </span>
            <Link href={`/invoices/${invoice.id}`}>Open invoice</Link>
          </p>
          <InvoiceLines invoice={invoice} />
        </>
      ) : query.data ? (
        <p class="empty">No draft invoice for the current period.</p>
      ) : null}
    </Panel>
  );
}
