import { useFeature, useQuery } from '../api/hooks';
import { FEATURES, PAYMENT_METHODS } from '../api/queries';
import type { PaymentMethod } from '../api/types';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Panel } from '../components/page';
import { formatDate, humanize } from '../format';

/** The customer's payment methods, the default (the one auto-pay charges) first. Read-only here. */
export function PaymentMethodsPanel({ customerId }: { customerId: string }) {
  const available = useFeature('paymentMethods');
  const { data, error, loading } = useQuery<{ paymentMethods: PaymentMethod[] }>(
    PAYMENT_METHODS,
    { customerId },
    { skip: !available },
  );
  const methods = data?.paymentMethods ?? [];
  return (
    <Panel title="Payment methods">
      {!available ? <Unavailable fields={FEATURES.paymentMethods} /> : null}
      <ErrorNotice error={error} action="load the payment methods" />
      {loading && !data ? <Loading what="payment methods" /> : null}
      {data && methods.length === 0 ? <p class="empty">No payment method on file.</p> : null}
      {methods.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Method</th>
                <th scope="col">Expires</th>
                <th scope="col">Processor</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {methods.map((method) => (
                <tr key={method.id}>
                  <th scope="row">
                    {humanize(method.brand ?? 'card')} •••• {method.last4 ?? '????'}
                    {method.isDefault ? ' (default)' : ''}
                  </th>
                  <td>
                    {method.expMonth && method.expYear
                      ? `${String(method.expMonth).padStart(2, '0')}/${method.expYear}`
                      : '—'}
                  </td>
                  <td>{method.provider}</td>
                  <td>{formatDate(method.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  );
}
