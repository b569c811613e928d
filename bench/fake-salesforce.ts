import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local fake Salesforce for `npm run bench:salesforce` (node:http, 127.0.0.1): the OAuth token
 * endpoint, REST query pages of 2,000 won Opportunities (3 line items each, the recorded shape) linked
 * by nextRecordsUrl, an empty /queryAll and getDeleted, and sObject Collections upserts that succeed per record.
 */
export interface FakeSalesforce {
  url: string;
  stats: { queries: number; upsertCalls: number; upsertedRecords: number };
  close(): Promise<void>;
}

const API = '/services/data/v62.0';
const PAGE_SIZE = 2_000;

function opportunityId(n: number): string {
  return `006FAKE${String(n).padStart(8, '0')}AAA`;
}

function opportunity(n: number, base: number) {
  const id = opportunityId(n);
  const modstamp = new Date(base + n * 1000).toISOString().replace('Z', '+0000');
  const item = (k: number, code: string, name: string, quantity: number, unit: number, list: number) => ({
    attributes: { type: 'OpportunityLineItem', url: `${API}/sobjects/OpportunityLineItem/00kFAKE${n}${k}` },
    Id: `00kFAKE${String(n).padStart(8, '0')}${k}AA`,
    Quantity: quantity,
    UnitPrice: unit,
    ListPrice: list,
    TotalPrice: quantity * unit,
    ServiceDate: '2025-02-01',
    Description: null,
    Product2Id: `01tFAKE000000${k}AAA`,
    Product2: { attributes: { type: 'Product2' }, ProductCode: code, Name: name },
  });
  return {
    attributes: { type: 'Opportunity', url: `${API}/sobjects/Opportunity/${id}` },
    Id: id,
    Name: `Customer ${n} - Platform Pro`,
    StageName: 'Closed Won',
    IsWon: true,
    IsClosed: true,
    CloseDate: '2025-01-14',
    Amount: 64500.0,
    Type: 'New Business',
    AccountId: `001FAKE${String(n).padStart(8, '0')}AAA`,
    SystemModstamp: modstamp,
    Contract_Start_Date__c: '2025-02-01',
    Contract_End_Date__c: '2026-01-31',
    Payment_Terms__c: 'Net 45',
    Billing_Cycle__c: 'Annual',
    Account: {
      attributes: { type: 'Account' },
      Id: `001FAKE${String(n).padStart(8, '0')}AAA`,
      Name: `Customer ${n}`,
      BillingStreet: '1 Market St',
      BillingCity: 'San Francisco',
      BillingState: 'CA',
      BillingPostalCode: '94105',
      BillingCountry: 'United States',
      Website: null,
      Billing_Email__c: `ap@customer${n}.example`,
      Billing_Customer_Id__c: null,
    },
    OpportunityLineItems: {
      totalSize: 3,
      done: true,
      records: [
        item(1, 'PLAN-PRO-ANNUAL', 'Platform Pro', 25, 1800, 2000),
        item(2, 'CREDITS-PREPAID', 'Prepaid usage credits', 500000, 0.035, 0.04),
        item(3, 'FEE-ONBOARDING', 'Onboarding fee', 1, 2000, 2500),
      ],
    },
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeSalesforce(options: {
  opportunities: number;
  modstampBase?: number;
}): Promise<FakeSalesforce> {
  const total = options.opportunities;
  const base = options.modstampBase ?? Date.parse('2025-01-01T00:00:00Z');
  const stats = { queries: 0, upsertCalls: 0, upsertedRecords: 0 };
  let apiCalls = 0;
  const page = (offset: number) => {
    const end = Math.min(total, offset + PAGE_SIZE);
    const records = [];
    for (let n = offset; n < end; n++) records.push(opportunity(n, base));
    return end < total
      ? { totalSize: total, done: false, nextRecordsUrl: `${API}/query/01gFAKE-${end}`, records }
      : { totalSize: total, done: true, records };
  };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      const limit = { 'sforce-limit-info': `api-usage=${++apiCalls}/100000` };
      if (req.method === 'POST' && url.pathname === '/services/oauth2/token') {
        return send(res, 200, {
          access_token: '00DFAKE!bench-access-token',
          instance_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          id: 'https://login.salesforce.com/id/00DFAKE00000001AAA/005FAKE00000001AAA',
          token_type: 'Bearer',
          issued_at: String(Date.now()),
        });
      }
      if (req.headers.authorization !== 'Bearer 00DFAKE!bench-access-token') {
        return send(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
      }
      if (req.method === 'GET' && url.pathname === `${API}/queryAll`) {
        stats.queries++;
        return send(res, 200, { totalSize: 0, done: true, records: [] }, limit);
      }
      if (req.method === 'GET' && url.pathname === `${API}/sobjects/Opportunity/deleted/`) {
        stats.queries++;
        return send(
          res,
          200,
          { deletedRecords: [], earliestDateAvailable: null, latestDateCovered: null },
          limit,
        );
      }
      if (req.method === 'GET' && url.pathname === `${API}/query`) {
        stats.queries++;
        return send(res, 200, page(0), limit);
      }
      const next = new RegExp(`^${API}/query/01gFAKE-(\\d+)$`).exec(url.pathname);
      if (req.method === 'GET' && next) {
        stats.queries++;
        return send(res, 200, page(Number(next[1])), limit);
      }
      if (req.method === 'PATCH' && url.pathname.startsWith(`${API}/composite/sobjects`)) {
        const { records } = JSON.parse(body) as { records: unknown[] };
        if (records.length > 200) {
          return send(res, 400, [{ message: 'record limit reached', errorCode: 'EXCEEDED_ID_LIMIT' }]);
        }
        stats.upsertCalls++;
        stats.upsertedRecords += records.length;
        return send(
          res,
          200,
          records.map((_r, i) => ({
            id: `001FAKE${String(stats.upsertedRecords + i).padStart(8, '0')}AAA`,
            success: true,
            errors: [],
            created: true,
          })),
          limit,
        );
      }
      send(res, 404, [{ message: `No fake for ${req.method} ${url.pathname}`, errorCode: 'NOT_FOUND' }]);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
