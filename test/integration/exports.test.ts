import { createContract, createCustomer, sendEvent } from '../support/billing-api';
import { createAiCallCenterPlan } from '../support/seed-catalogs';
import { TestApp } from '../support/test-app';

/** A minimal RFC 4180 reader for the assertions: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  expect(field).toBe(''); // every record ends with CRLF
  return rows;
}

/** The rows as objects keyed by the header, with the columns the test looks at. */
function records(text: string, columns: string[]): Array<Record<string, string>> {
  const [header, ...rows] = parseCsv(text);
  return rows.map((row) => Object.fromEntries(columns.map((c) => [c, row[header.indexOf(c)]])));
}

/**
 * The finance exports through HTTP over a small billing story, every figure at the seeds/002 rates:
 * Acme Support Co (contract from Oct 1 with a $100 prepaid grant) and a customer whose name is a formula,
 * October finalized on Nov 10. Page size 1, so every row is its own database page.
 */
describe('GET /v1/exports/{kind}.csv', () => {
  let t: TestApp;
  let acmeId: string;
  let formulaId: string;
  const FORMULA_NAME = '=HYPERLINK("http://evil.example","Formula, Inc.")';

  beforeAll(async () => {
    t = await TestApp.start({ config: { exportPageSize: 1 } });
    t.clock.set('2026-11-10T06:00:00Z');
    const planId = await createAiCallCenterPlan(t);
    acmeId = await createCustomer(t, 'Acme Support Co', 'acme-support');
    formulaId = await createCustomer(t, FORMULA_NAME, 'formula-co');
    await createContract(t, {
      customerId: acmeId,
      planId,
      startDate: '2026-10-01',
      creditGrantCents: 10_000,
    });
    await createContract(t, { customerId: formulaId, planId, startDate: '2026-10-01' });
    const calls: Array<[string, string, string, string, number, string]> = [
      ['a1', 'acme-support', 'US', 'resolved', 5, '2026-10-31T01:05:00Z'],
      ['a2', 'acme-support', 'EU', 'escalated', 15, '2026-10-31T04:30:00Z'],
      ['f1', 'formula-co', 'APAC', 'transferred', 10, '2026-10-31T02:00:00Z'],
      // November (the open drafts): one day over two hours, two calls.
      ['a3', 'acme-support', 'US', 'resolved', 3, '2026-11-02T09:15:00Z'],
      ['a4', 'acme-support', 'US', 'resolved', 2, '2026-11-02T17:45:00Z'],
    ];
    for (const [key, customer, region, outcome, minutes, at] of calls) {
      const response = await sendEvent(t, {
        customer_id: customer,
        event_name: 'ai_call',
        idempotency_key: key,
        timestamp: at,
        properties: { region, call_outcome: outcome, duration_minutes: minutes },
      });
      expect(response.status).toBe(202);
    }
    await t.app.workers.aggregator.drain();
    for (const customerId of [acmeId, formulaId]) {
      const { invoices } = await t.gqlOk<{ invoices: { nodes: Array<{ id: string; periodStart: string }> } }>(
        'query($c: ID!) { invoices(customerId: $c, first: 5) { nodes { id periodStart } } }',
        { c: customerId },
      );
      const october = invoices.nodes.find((i) => i.periodStart === '2026-10-01T00:00:00.000Z')!;
      await t.gqlOk('mutation($id: ID!) { finalizeInvoice(id: $id) { id } }', { id: october.id });
    }
  });
  afterAll(() => t.stop());

  const get = (path: string, token: string | null = t.apiKey) =>
    fetch(`${t.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  async function csv(path: string): Promise<string> {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // Streamed: chunked, no length known up front.
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    return response.text();
  }

  it('invoices: the issued ones (drafts are priced live and left out), amounts as finance reads them', async () => {
    const text = await csv('/v1/exports/invoices.csv');
    const rows = records(text, [
      'number',
      'status',
      'customer_external_id',
      'customer_name',
      'currency',
      'period_start',
      'subtotal',
      'credits_applied',
      'total',
      'amount_due',
      'credit_balance_remaining',
    ]).sort((a, b) => a.customer_external_id.localeCompare(b.customer_external_id));
    expect(rows).toEqual([
      // US resolved 5 × 0.20 = 1.00 + EU escalated 15 × 0.75 = 11.25 → 12.25, all from the $100 grant:
      // 100.00 - 12.25 = 87.75 left.
      {
        number: expect.stringMatching(/^INV-\d+$/),
        status: 'FINALIZED',
        customer_external_id: 'acme-support',
        customer_name: 'Acme Support Co',
        currency: 'USD',
        period_start: '2026-10-01T00:00:00.000Z',
        subtotal: '12.25',
        credits_applied: '12.25',
        total: '12.25',
        amount_due: '0.00',
        credit_balance_remaining: '87.75',
      },
      // APAC transferred 10 × 0.60 = 6.00; no grant, so nothing applied and a balance of 0.00 left.
      {
        number: expect.stringMatching(/^INV-\d+$/),
        status: 'FINALIZED',
        customer_external_id: 'formula-co',
        customer_name: `'${FORMULA_NAME}`,
        currency: 'USD',
        period_start: '2026-10-01T00:00:00.000Z',
        subtotal: '6.00',
        credits_applied: '0.00',
        total: '6.00',
        amount_due: '6.00',
        credit_balance_remaining: '0.00',
      },
    ]);
    // The formula is quoted (it holds a comma and quotes) and starts with the single-quote guard.
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""Formula, Inc."")"`);
  });

  it('invoice lines: with their dimensions and rate source, filtered by customer (id or external id)', async () => {
    const columns = ['customer_external_id', 'position', 'kind', 'meter_code', 'dimensions', 'quantity'];
    const more = ['rate', 'rate_source', 'amount', 'credits_applied', 'description'];
    const rows = records(await csv('/v1/exports/invoice-lines.csv?customerId=acme-support'), [
      ...columns,
      ...more,
    ]);
    // Positions count from 0, as the API's InvoiceLine.position.
    expect(rows.map((r) => Object.values(r).join(' | '))).toEqual([
      'acme-support | 0 | USAGE | AI_CALL | {"call_outcome":"resolved","region":"US"} | 5 | 0.2 | RATE_CARD | 1.00 | 1.00 | AI Calls - US / resolved',
      'acme-support | 1 | USAGE | AI_CALL | {"call_outcome":"escalated","region":"EU"} | 15 | 0.75 | RATE_CARD | 11.25 | 11.25 | AI Calls - EU / escalated',
    ]);
    const byId = await csv(`/v1/exports/invoice-lines.csv?customerId=${formulaId}`);
    expect(records(byId, ['dimensions', 'quantity', 'rate', 'amount'])).toEqual([
      {
        dimensions: '{"call_outcome":"transferred","region":"APAC"}',
        quantity: '10',
        rate: '0.6',
        amount: '6.00',
      },
    ]);
  });

  it('credit ledger: the grant and the drawdown, signed, with the balance after each entry', async () => {
    const rows = records(await csv('/v1/exports/credit-ledger.csv'), [
      'customer_external_id',
      'kind',
      'currency',
      'amount',
      'grant_balance_after',
    ]);
    expect(rows.map((r) => Object.values(r).join(' '))).toEqual([
      'acme-support GRANT USD 100.00 100.00',
      // October's lines, one deduction each: 100.00 - 1.00 = 99.00; 99.00 - 11.25 = 87.75.
      'acme-support DEDUCTION USD -1.00 99.00',
      'acme-support DEDUCTION USD -11.25 87.75',
    ]);
  });

  it('usage: per day and dimension, hours of a day added up, period filter on the hour', async () => {
    const columns = [
      'day',
      'customer_external_id',
      'meter_code',
      'aggregation',
      'dimensions',
      'quantity',
      'event_count',
    ];
    const all = records(await csv('/v1/exports/usage.csv'), columns);
    const line = (r: Record<string, string>) => Object.values(r).join(' ');
    expect(all.map(line).sort()).toEqual(
      [
        '2026-10-31 acme-support AI_CALL SUM {"call_outcome":"escalated","region":"EU"} 15 1',
        '2026-10-31 acme-support AI_CALL SUM {"call_outcome":"resolved","region":"US"} 5 1',
        // Nov 2: 09:00 and 17:00 hours, 3 + 2 = 5 minutes over 2 calls.
        '2026-11-02 acme-support AI_CALL SUM {"call_outcome":"resolved","region":"US"} 5 2',
        '2026-10-31 formula-co AI_CALL SUM {"call_outcome":"transferred","region":"APAC"} 10 1',
      ].sort(),
    );
    const november = records(await csv('/v1/exports/usage.csv?from=2026-11-01&to=2026-12-01'), columns);
    expect(november.map(line)).toEqual([
      '2026-11-02 acme-support AI_CALL SUM {"call_outcome":"resolved","region":"US"} 5 2',
    ]);
    // Only the 17:00 hour: 2 minutes, 1 call.
    const evening = records(
      await csv('/v1/exports/usage.csv?from=2026-11-02T12:00:00Z&customerId=acme-support'),
      columns,
    );
    expect(evening.map(line)).toEqual([
      '2026-11-02 acme-support AI_CALL SUM {"call_outcome":"resolved","region":"US"} 2 1',
    ]);
  });

  it('a period with nothing in it is the header alone', async () => {
    const text = await csv('/v1/exports/invoices.csv?from=2026-11-01');
    expect(parseCsv(text)).toHaveLength(1);
    expect(text.startsWith('invoice_id,number,kind,status,customer_id,')).toBe(true);
  });

  it('refuses bad requests before streaming, with a code naming the field', async () => {
    const error = async (path: string, token?: string | null) => {
      const response = await get(path, token === undefined ? t.apiKey : token);
      return {
        status: response.status,
        ...((await response.json()) as { error: Record<string, string> }).error,
      };
    };
    expect(await error('/v1/exports/payments.csv')).toMatchObject({
      status: 400,
      code: 'BAD_USER_INPUT',
      field: 'kind',
    });
    expect(await error('/v1/exports/invoices.csv?from=2026-13-01')).toMatchObject({
      status: 400,
      field: 'from',
    });
    expect(await error('/v1/exports/invoices.csv?from=yesterday')).toMatchObject({
      status: 400,
      field: 'from',
    });
    expect(await error('/v1/exports/invoices.csv?from=2026-11-01&to=2026-10-01')).toMatchObject({
      status: 400,
      field: 'to',
    });
    expect(await error('/v1/exports/usage.csv?customerId=nobody')).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      field: 'customerId',
    });
    expect(await error('/v1/exports/invoices.csv', null)).toMatchObject({
      status: 401,
      code: 'UNAUTHENTICATED',
    });
    // Another organization's key sees its own (empty) environment, never this one's customers.
    const other = await t.newOrganization();
    expect(await error(`/v1/exports/invoices.csv?customerId=${acmeId}`, other.apiKey)).toMatchObject({
      status: 404,
      field: 'customerId',
    });
  });
});
