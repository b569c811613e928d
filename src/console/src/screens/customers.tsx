import { useEffect, useState } from 'preact/hooks';
import { useFeature, useQuery } from '../api/hooks';
import { CUSTOMERS, FEATURES } from '../api/queries';
import type { Connection, Customer } from '../api/types';
import { CsvExports } from '../components/csv-exports';
import { ErrorNotice, Loading, Unavailable } from '../components/feedback';
import { Link } from '../components/link';
import { Page } from '../components/page';
import { formatDate } from '../format';

function CustomerSearch({ onSearch }: { onSearch: (text: string) => void }) {
  const [text, setText] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => onSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);
  return (
    <form class="search" role="search" onSubmit={(e) => (e.preventDefault(), onSearch(text.trim()))}>
      <label for="customer-search">Search customers</label>
      <input
        id="customer-search"
        type="search"
        placeholder="Name, email or external id"
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
      />
    </form>
  );
}

function CustomersTable({ customers }: { customers: Customer[] }) {
  if (customers.length === 0) return <p class="empty">No customers match.</p>;
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Customers</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">External id</th>
            <th scope="col">Since</th>
          </tr>
        </thead>
        <tbody>
          {customers.map((customer) => (
            <tr key={customer.id}>
              <th scope="row">
                <Link href={`/customers/${customer.id}`}>{customer.name}</Link>
              </th>
              <td>{customer.email ?? '—'}</td>
              <td>
                <code>{customer.externalId ?? '—'}</code>
              </td>
              <td>{formatDate(customer.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CustomersScreen() {
  const available = useFeature('customers');
  const [search, setSearch] = useState('');
  const { data, error, loading } = useQuery<{ customers: Connection<Customer> }>(
    CUSTOMERS,
    { search: search || null, first: 100 },
    { skip: !available },
  );
  return (
    <Page title="Customers">
      {!available ? (
        <Unavailable fields={FEATURES.customers} />
      ) : (
        <>
          <CustomerSearch onSearch={setSearch} />
          <CsvExports />
          <ErrorNotice error={error} action="load the customers" />
          {loading && !data ? <Loading what="customers" /> : null}
          {data ? <CustomersTable customers={data.customers.nodes} /> : null}
        </>
      )}
    </Page>
  );
}
