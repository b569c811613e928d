import { useEffect, useState } from 'preact/hooks';
import { graphqlRequest } from './api/client';
import { ApiContext, type ApiState } from './api/hooks';
import { ROOT_FIELDS } from './api/queries';
import {
  activeKey,
  loadSession,
  saveSession,
  withKey,
  type EnvironmentKey,
  type Session,
} from './api/session';
import { EnvironmentSwitcher } from './components/environment-switcher';
import { Link } from './components/link';
import { matchPath, navigate, useLocation } from './router';
import { CatalogScreen } from './screens/catalog';
import { CreditsScreen } from './screens/credits';
import { CustomerScreen } from './screens/customer';
import { CustomersScreen } from './screens/customers';
import { DraftReviewScreen } from './screens/draft-review';
import { DraftsScreen } from './screens/drafts';
import { EventsScreen } from './screens/events';
import { InvoiceScreen } from './screens/invoice';
import { SignIn } from './screens/sign-in';
import { UsageFailuresScreen } from './screens/usage-failures';

interface RootFieldsResult {
  __schema: Record<
    'queryType' | 'mutationType' | 'subscriptionType',
    { fields: Array<{ name: string }> } | null
  >;
}

/** Asks the server which root fields it offers, so screens of APIs it lacks can say so. */
async function loadRootFields(apiKey: string): Promise<Set<string>> {
  const data = await graphqlRequest<RootFieldsResult>(apiKey, ROOT_FIELDS);
  const names = new Set<string>();
  const kinds = [
    ['Query', data.__schema.queryType],
    ['Mutation', data.__schema.mutationType],
    ['Subscription', data.__schema.subscriptionType],
  ] as const;
  for (const [kind, type] of kinds)
    for (const field of type?.fields ?? []) names.add(`${kind}.${field.name}`);
  return names;
}

const NAV = [
  { href: '/drafts', label: 'Contract drafts' },
  { href: '/customers', label: 'Customers' },
  { href: '/catalog', label: 'Catalog' },
  { href: '/usage-failures', label: 'Usage failures' },
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Routes({ path, query }: { path: string; query: URLSearchParams }) {
  let params: Record<string, string> | null;
  if (path === '/' || path === '') return <Redirect to="/drafts" />;
  if (path === '/drafts') return <DraftsScreen />;
  if ((params = matchPath('/drafts/:id', path))) return <DraftReviewScreen id={params.id} />;
  if (path === '/customers') return <CustomersScreen />;
  if ((params = matchPath('/customers/:id/credits', path))) return <CreditsScreen customerId={params.id} />;
  if ((params = matchPath('/customers/:id', path))) return <CustomerScreen id={params.id} />;
  if ((params = matchPath('/invoices/:id', path))) return <InvoiceScreen id={params.id} />;
  if (path === '/events') return <EventsScreen query={query} />;
  if (path === '/catalog') return <CatalogScreen />;
  if (path === '/usage-failures') return <UsageFailuresScreen />;
  return (
    <section class="page">
      <h1>Not found</h1>
      <p>
        There is no console page at this address. <Link href="/drafts">Go to contract drafts</Link>.
      </p>
    </section>
  );
}

function Shell({ session, onSession }: { session: Session; onSession: (session: Session | null) => void }) {
  const key = activeKey(session);
  const [rootFields, setRootFields] = useState<Set<string> | null>(null);
  const location = useLocation();
  useEffect(() => {
    setRootFields(null);
    loadRootFields(key.apiKey)
      .then(setRootFields)
      .catch(() => setRootFields(null));
  }, [key.apiKey]);
  const api: ApiState = { key, rootFields };
  const section = '/' + (location.path.split('/')[1] ?? '');

  return (
    <ApiContext.Provider value={api}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/drafts" class="brand">
          Tally <span>console</span>
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.href}>
                <Link href={item.href} aria-current={section === item.href ? 'page' : undefined}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="topbar-end">
          <EnvironmentSwitcher
            session={session}
            onSwitch={(environmentId) => onSession({ ...session, activeEnvironmentId: environmentId })}
            onAddKey={(added) => onSession(withKey(session, added))}
          />
          <button type="button" class="link-button" onClick={() => onSession(null)}>
            Sign out
          </button>
        </div>
      </header>
      {key.kind !== 'LIVE' ? (
        <div class="sandbox-banner" role="note">
          You are in the <strong>{key.environmentName}</strong> sandbox: nothing here bills real customers.
        </div>
      ) : null}
      <main id="main" tabIndex={-1}>
        <Routes key={key.environmentId} path={location.path} query={location.query} />
      </main>
    </ApiContext.Provider>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const update = (next: Session | null) => {
    saveSession(next);
    setSession(next);
  };
  if (!session) return <SignIn onSignedIn={(key: EnvironmentKey) => update(withKey(null, key))} />;
  return <Shell session={session} onSession={update} />;
}
