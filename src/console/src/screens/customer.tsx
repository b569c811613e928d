import { useFeature, useQuery } from '../api/hooks';
import { CUSTOMER, CUSTOMER_CONTRACTS, CUSTOMER_INVOICES, FEATURES } from '../api/queries';
import type { Connection, Contract, Customer, InvoiceSummary } from '../api/types';
import { ErrorNotice, Loading, StatusBadge, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { CsvExports } from '../components/csv-exports';
import { Page, Panel } from '../components/page';
import { formatDate, formatMoney, formatPeriod, formatTerm, humanize } from '../format';
import { CustomerBalance } from './credit-notes';
import { AccountHistoryPanel } from './account-history';
import { LiveDraftInvoice } from './live-draft-invoice';
import { PaymentMethodsPanel } from './payment-methods';

/** What happens at the end of the term, and by when notice must be given (fixed-term contracts). */
function ContractEndCell({ contract }: { contract: Contract }) {
  if (!contract.atEnd) return <>—</>;
  const what =
    contract.atEnd === 'CONTRACTS_TO_PLAN'
      ? `Moves to ${contract.continuedBy?.plan?.name ?? 'another plan'}`
      : contract.atEnd === 'RENEWS'
        ? `Renews ${formatDate(contract.endsAt)}`
        : `Ends after ${formatDate(contract.endDate)}`;
  return (
    <>
      {what}
      {contract.renewalNoticeDays !== null && contract.renewalNoticeDays !== undefined ? (
        <div class="muted">
          {contract.renewalNoticeDays}-day notice: before {formatDate(contract.noticeDeadline)}
        </div>
      ) : null}
    </>
  );
}

function ContractsPanel({ customerId }: { customerId: string }) {
  const available = useFeature('contracts');
  const { data, error, loading } = useQuery<{ contracts: Connection<Contract> }>(
    CUSTOMER_CONTRACTS,
    { customerId },
    { skip: !available },
  );
  const contracts = data?.contracts.nodes ?? [];
  return (
    <>
      <Panel title="Contracts">
        {!available ? <Unavailable fields={FEATURES.contracts} /> : null}
        <ErrorNotice error={error} action="load the contracts" />
        {loading && !data ? <Loading what="contracts" /> : null}
        {data && contracts.length === 0 ? <p class="empty">No contracts yet.</p> : null}
        {contracts.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">Status</th>
                  <th scope="col">Term</th>
                  <th scope="col">At end</th>
                  <th scope="col">Billing</th>
                  <th scope="col">Payment terms</th>
                </tr>
              </thead>
              <tbody>
                {contracts.map((contract) => (
                  <tr key={contract.id}>
                    <th scope="row">{contract.plan?.name ?? contract.id}</th>
                    <td>
                      <StatusBadge status={contract.status} />
                      {contract.scheduledContraction ? (
                        <span class="muted small">
                          {' '}
                          · moves to self-serve on {formatDate(contract.scheduledContraction.effectiveAt)}
                        </span>
                      ) : null}
                    </td>
                    <td>{formatTerm(contract.startDate, contract.endDate)}</td>
                    <td>
                      <ContractEndCell contract={contract} />
                    </td>
                    <td>
                      {humanize(contract.billingCycle)}
                      {contract.billingAlignment === 'CALENDAR' ? ' (calendar)' : ''}
                    </td>
                    <td>{contract.paymentTermsDays} days</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </Panel>
      {contracts
        .filter((contract) => contract.status === 'ACTIVE')
        .map((contract) => (
          <LiveDraftInvoice key={contract.id} contract={contract} customerId={customerId} />
        ))}
    </>
  );
}

function InvoicesPanel({ customerId }: { customerId: string }) {
  const available = useFeature('invoices');
  const { data, error, loading } = useQuery<{ invoices: Connection<InvoiceSummary> }>(
    CUSTOMER_INVOICES,
    { customerId, first: 50 },
    { skip: !available },
  );
  const invoices = (data?.invoices.nodes ?? []).filter((invoice) => invoice.status !== 'DRAFT');
  return (
    <Panel title="Past invoices">
      {!available ? <Unavailable fields={FEATURES.invoices} /> : null}
      <CsvExports customerId={customerId} />
      <ErrorNotice error={error} action="load the invoices" />
      {loading && !data ? <Loading what="invoices" /> : null}
      {data && invoices.length === 0 ? <p class="empty">No finalized invoices yet.</p> : null}
      {invoices.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Number</th>
                <th scope="col">Status</th>
                <th scope="col">Period</th>
                <th scope="col">Issued</th>
                <th scope="col">Due</th>
                <th scope="col" class="num">
                  Amount due
                </th>
              </tr>
            </thead>
            <tbody>
              {invoices.map((invoice) => (
                <tr key={invoice.id}>
                  <th scope="row">
                    <Link href={`/invoices/${invoice.id}`}>{invoice.number ?? 'Draft'}</Link>
                  </th>
                  <td>
                    <StatusBadge status={invoice.status} />
                  </td>
                  <td>{formatPeriod(invoice.periodStart, invoice.periodEnd)}</td>
                  <td>{formatDate(invoice.issuedAt)}</td>
                  <td>{formatDate(invoice.dueDate)}</td>
                  <td class="num">{formatMoney(invoice.amountDue, invoice.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}

export function CustomerScreen({ id }: { id: string }) {
  const available = useFeature('customers');
  const { data, error, loading } = useQuery<{ customer: Customer }>(CUSTOMER, { id }, { skip: !available });
  const customer = data?.customer;
  return (
    <Page
      title={customer?.name ?? 'Customer'}
      subtitle={
        customer ? (
          <>
            {customer.email ?? 'No email'}
            {customer.externalId ? (
              <>
                {' '}
                · external id <code>{customer.externalId}</code>
              </>
            ) : null}
          </>
        ) : null
      }
      actions={
        <>
          <Link href={`/customers/${id}/credits`}>Credits</Link>
          <Link href="/customers">All customers</Link>
        </>
      }
    >
      {!available ? <Unavailable fields={FEATURES.customers} /> : null}
      <ErrorNotice error={error} action="load the customer" />
      {loading && !data ? <Loading what="the customer" /> : null}
      {customer ? (
        <>
          <ContractsPanel customerId={id} />
          <InvoicesPanel customerId={id} />
          <CustomerBalance customerId={id} />
          <PaymentMethodsPanel customerId={id} />
          <AccountHistoryPanel customerId={id} />
        </>
      ) : null}
    </Page>
  );
}
