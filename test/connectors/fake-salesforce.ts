import nock from 'nock';

/**
 * A small stateful Salesforce for the connector tests, behind nock interceptors (nock only stands in for
 * Salesforce's HTTP API; Tally's code runs unchanged). Unlike canned replies it keeps records per sObject
 * with Ids and answers with Salesforce's semantics, so tests can assert on the records a flow ends with:
 *
 * - OAuth refresh-token grant: known refresh tokens only (`invalid_grant` otherwise), optional rotation
 *   (the old refresh token stops working), access tokens checked on every call (401 INVALID_SESSION_ID).
 * - Upsert by external id (sObject Collections `PATCH composite/sobjects/<Type>/<Field>` and single
 *   `PATCH sobjects/<Type>/<Field>/<value>`): updates the one record holding the value or inserts one;
 *   several holders are HTTP 300 (single) or DUPLICATE_EXTERNAL_ID (collections), naming their Ids.
 * - Update by Id (`PATCH composite/sobjects`, `PATCH sobjects/<Type>/<Id>`): a missing or deleted Id is
 *   ENTITY_IS_DELETED.
 * - References: `{"Account": {"Ext__c": "v"}}` resolves to `AccountId` (INVALID_FIELD when no record holds
 *   the value); a plain `AccountId` must exist (INVALID_CROSS_REFERENCE_KEY).
 * - `allOrNone: true` rolls every row back when one fails.
 * - SOQL through `/query` and `/queryAll` (soft-deleted rows only there), paged by `nextRecordsUrl`, for the
 *   shapes the poller sends: a field list with parent fields (`Account.Name`) and one child subquery, a
 *   WHERE of comparisons joined by AND/OR with parentheses, ORDER BY ascending fields.
 * - Deletions: `softDelete` (recycle bin, IsDeleted = true), `hardDelete` (gone; only `GET sobjects/<Type>/
 *   deleted/?start&end` still reports it).
 */
export type FakeRecord = Record<string, unknown> & { Id: string };

export interface FakeSalesforceOptions {
  instanceUrl: string;
  loginUrl: string;
  apiVersion?: string;
  /** Refresh tokens the token endpoint accepts at start. */
  refreshTokens: string[];
  /** SystemModstamp of writes and the deletion log's dates. */
  now: () => Date;
  /** Rows per query page (Salesforce: up to 2,000). */
  pageSize?: number;
  orgId?: string;
}

interface StoredRecord {
  type: string;
  fields: FakeRecord;
  deleted: boolean;
}

interface RowError {
  statusCode: string;
  message: string;
  fields: string[];
}

type Reply = [number, unknown, Record<string, string>];

const ID_PREFIX: Record<string, string> = {
  Account: '001',
  Contract: '800',
  Order: '801',
  OrderItem: '802',
  Opportunity: '006',
  OpportunityLineItem: '00k',
  Product2: '01t',
};

/** Relationship field name → the sObject it points to (the ones Tally writes). */
const RELATIONSHIPS: Record<string, string> = { Account: 'Account', Contract: 'Contract', Order: 'Order' };

export class FakeSalesforce {
  readonly apiVersion: string;
  /** Every call after authentication, for assertions on what the connector sent. */
  readonly calls: Array<{ method: string; path: string; body: unknown }> = [];
  /** When true, every refresh issues a new refresh token and the old one stops working. */
  rotateRefreshTokens = false;
  readonly refreshTokens: Set<string>;
  private readonly accessTokens = new Set<string>();
  private readonly store = new Map<string, StoredRecord>();
  private readonly deletions: Array<{ type: string; id: string; deletedDate: Date }> = [];
  private readonly cursors = new Map<string, { records: Array<Record<string, unknown>> }>();
  private readonly failures: Array<{ match: (method: string, path: string) => boolean; reply: Reply }> = [];
  private counter = 0;
  private interceptors: nock.Interceptor[] = [];

  constructor(private readonly options: FakeSalesforceOptions) {
    this.apiVersion = options.apiVersion ?? '62.0';
    this.refreshTokens = new Set(options.refreshTokens);
  }

  // ---------------------------------------------------------------- test API

  /** Starts answering Salesforce's URLs (persistently, until `uninstall`). */
  install(): this {
    const api = nock(this.options.instanceUrl).persist();
    // A function, not an arrow: nock passes the request (and its Authorization header) as `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    for (const method of ['get', 'post', 'patch', 'delete'] as const) {
      const interceptor = api[method](() => true);
      this.interceptors.push(interceptor);
      interceptor.reply(function (uri, body) {
        const auth = String(this.req.headers.authorization ?? '');
        return fake.handleAuthorized(method.toUpperCase(), uri, body, auth) as unknown as nock.ReplyFnResult;
      });
    }
    const login = nock(this.options.loginUrl).persist().post('/services/oauth2/token');
    this.interceptors.push(login);
    login.reply((_uri, body) => this.token(body) as unknown as nock.ReplyFnResult);
    return this;
  }

  uninstall(): void {
    for (const interceptor of this.interceptors) nock.removeInterceptor(interceptor);
    this.interceptors = [];
  }

  /** Creates a record as a Salesforce user would; returns its Id. */
  insert(type: string, fields: Record<string, unknown>): string {
    const id = this.newId(type);
    this.store.set(id, {
      type,
      fields: { ...structuredClone(fields), Id: id, SystemModstamp: this.stamp() },
      deleted: false,
    });
    return id;
  }

  /** Changes a record as a Salesforce user would. */
  update(type: string, id: string, fields: Record<string, unknown>): void {
    const record = this.store.get(id);
    if (!record || record.type !== type) throw new Error(`No ${type} ${id}`);
    Object.assign(record.fields, structuredClone(fields), { SystemModstamp: this.stamp() });
  }

  /** Records of a type that are not deleted, in insertion order. */
  records(type: string): FakeRecord[] {
    return [...this.store.values()].filter((r) => r.type === type && !r.deleted).map((r) => r.fields);
  }

  get(id: string): FakeRecord | null {
    const record = this.store.get(id);
    return record && !record.deleted ? record.fields : null;
  }

  /** Moves a record to the recycle bin (queryAll still sees it, with IsDeleted = true). */
  softDelete(type: string, id: string): void {
    const record = this.store.get(id);
    if (!record || record.type !== type) throw new Error(`No ${type} ${id}`);
    record.deleted = true;
    record.fields.SystemModstamp = this.stamp();
    this.deletions.push({ type, id, deletedDate: this.options.now() });
  }

  /** Deletes a record and empties the recycle bin: no query sees it any more, only getDeleted. */
  hardDelete(type: string, id: string): void {
    const record = this.store.get(id);
    if (!record || record.type !== type) throw new Error(`No ${type} ${id}`);
    if (!record.deleted) this.deletions.push({ type, id, deletedDate: this.options.now() });
    this.store.delete(id);
  }

  /** Invalidates every access token (sessions expired); the next call gets a 401 and refreshes. */
  expireSessions(): void {
    this.accessTokens.clear();
  }

  /** The next request matching answers with this status and body instead (once). */
  failNext(match: (method: string, path: string) => boolean, status: number, body: unknown): void {
    this.failures.push({ match, reply: [status, body, JSON_HEADERS] });
  }

  // ---------------------------------------------------------------- HTTP

  private token(body: unknown): Reply {
    const form = new URLSearchParams(typeof body === 'string' ? body : '');
    const refreshToken = form.get('refresh_token') ?? '';
    if (form.get('grant_type') !== 'refresh_token' || !this.refreshTokens.has(refreshToken)) {
      return [
        400,
        { error: 'invalid_grant', error_description: 'expired access/refresh token' },
        JSON_HEADERS,
      ];
    }
    const n = ++this.counter;
    const accessToken = `00DFAKE!access-${n}`;
    this.accessTokens.add(accessToken);
    const answer: Record<string, string> = {
      access_token: accessToken,
      instance_url: this.options.instanceUrl,
      id: `${this.options.loginUrl}/id/${this.options.orgId ?? '00D5g000004XyZaEAK'}/0055g00000J1x2YAAR`,
      token_type: 'Bearer',
      issued_at: String(this.options.now().getTime()),
      scope: 'refresh_token api',
    };
    if (this.rotateRefreshTokens) {
      const rotated = `5AepFAKE-rotated-${n}`;
      this.refreshTokens.delete(refreshToken);
      this.refreshTokens.add(rotated);
      answer.refresh_token = rotated;
    }
    return [200, answer, JSON_HEADERS];
  }

  private handleAuthorized(method: string, uri: string, body: unknown, auth: string): Reply {
    if (!this.accessTokens.has(auth.replace(/^Bearer /, ''))) {
      return [
        401,
        [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
        JSON_HEADERS,
      ];
    }
    return this.handle(method, uri, body);
  }

  private handle(method: string, uri: string, rawBody: unknown): Reply {
    const url = new URL(uri, this.options.instanceUrl);
    const root = `/services/data/v${this.apiVersion}`;
    const body: unknown = typeof rawBody === 'string' && rawBody ? JSON.parse(rawBody) : rawBody;
    this.calls.push({ method, path: `${url.pathname}${url.search}`, body });
    const failure = this.failures.findIndex((f) => f.match(method, `${url.pathname}${url.search}`));
    if (failure >= 0) return this.failures.splice(failure, 1)[0].reply;
    if (!url.pathname.startsWith(root)) return notFoundReply(method, url.pathname);
    const path = url.pathname.slice(root.length);
    const parts = path.split('/').filter(Boolean);

    if (method === 'GET' && (path === '/query' || path === '/queryAll'))
      return this.query(url.searchParams.get('q') ?? '', path === '/queryAll');
    if (method === 'GET' && parts[0] === 'query' && parts.length === 2) return this.nextPage(parts[1]);
    if (method === 'GET' && parts[0] === 'sobjects' && parts[2] === 'deleted')
      return this.getDeleted(parts[1], url.searchParams);
    if (method === 'PATCH' && path === '/composite/sobjects') return this.collectionUpdate(body);
    if (method === 'PATCH' && parts[0] === 'composite' && parts[1] === 'sobjects' && parts.length === 4)
      return this.collectionUpsert(parts[2], parts[3], body);
    if (parts[0] === 'sobjects' && parts.length === 4 && method === 'PATCH')
      return this.singleUpsert(parts[1], parts[2], decodeURIComponent(parts[3]), body);
    if (parts[0] === 'sobjects' && parts.length === 3 && method === 'PATCH')
      return this.singleUpdate(parts[1], parts[2], body);
    if (parts[0] === 'sobjects' && parts.length === 2 && method === 'POST') {
      const saved = this.save(parts[1], null, body as Record<string, unknown>);
      return 'errors' in saved ? [400, toRestErrors(saved.errors), JSON_HEADERS] : created(saved.id);
    }
    return notFoundReply(method, url.pathname);
  }

  // ---------------------------------------------------------------- writes

  private collectionUpsert(type: string, externalIdField: string, body: unknown): Reply {
    const { allOrNone, records } = body as { allOrNone?: boolean; records: Array<Record<string, unknown>> };
    if (records.length > 200)
      return [400, [{ message: 'record limit reached', errorCode: 'EXCEEDED_ID_LIMIT' }], JSON_HEADERS];
    return this.collection(allOrNone === true, records, (record) => {
      if ((record.attributes as { type?: string } | undefined)?.type !== type)
        return { errors: [rowError('INVALID_TYPE', `Record type must be ${type}`)] };
      const value = record[externalIdField];
      if (typeof value !== 'string' || !value)
        return { errors: [rowError('MISSING_ARGUMENT', `${externalIdField} not specified`)] };
      const holders = this.holders(type, externalIdField, value);
      if (holders.length > 1)
        return {
          errors: [
            rowError(
              'DUPLICATE_EXTERNAL_ID',
              `${externalIdField}: more than one record found for external id field: [${holders.map((h) => h.fields.Id).join(', ')}]`,
              [externalIdField],
            ),
          ],
        };
      return this.save(type, holders[0]?.fields.Id ?? null, record);
    });
  }

  private collectionUpdate(body: unknown): Reply {
    const { allOrNone, records } = body as { allOrNone?: boolean; records: Array<Record<string, unknown>> };
    if (records.length > 200)
      return [400, [{ message: 'record limit reached', errorCode: 'EXCEEDED_ID_LIMIT' }], JSON_HEADERS];
    return this.collection(allOrNone === true, records, (record) => {
      const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
      const id = String(record.id ?? record.Id ?? '');
      const existing = this.store.get(id);
      if (!existing || existing.deleted || existing.type !== type)
        return { errors: [rowError('ENTITY_IS_DELETED', 'entity is deleted')] };
      return this.save(type, id, record);
    });
  }

  /** Runs each row; with allOrNone, one failure rolls every row back. */
  private collection(
    allOrNone: boolean,
    records: Array<Record<string, unknown>>,
    write: (record: Record<string, unknown>) => { id: string; created: boolean } | { errors: RowError[] },
  ): Reply {
    const before = allOrNone ? this.snapshot() : null;
    const results = records.map(write);
    if (before && results.some((r) => 'errors' in r)) {
      this.restore(before);
      return [
        200,
        results.map((r) =>
          'errors' in r
            ? { success: false, errors: r.errors }
            : {
                success: false,
                errors: [
                  rowError(
                    'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  ),
                ],
              },
        ),
        JSON_HEADERS,
      ];
    }
    return [
      200,
      results.map((r) =>
        'errors' in r
          ? { success: false, errors: r.errors }
          : { id: r.id, success: true, errors: [], created: r.created },
      ),
      JSON_HEADERS,
    ];
  }

  private singleUpsert(type: string, field: string, value: string, body: unknown): Reply {
    if (field === 'Id') return this.singleUpdate(type, value, body);
    const holders = this.holders(type, field, value);
    if (holders.length > 1)
      return [
        300,
        holders.map((h) => `/services/data/v${this.apiVersion}/sobjects/${type}/${h.fields.Id}`),
        JSON_HEADERS,
      ];
    const saved = this.save(type, holders[0]?.fields.Id ?? null, {
      ...(body as Record<string, unknown>),
      [field]: value,
    });
    if ('errors' in saved) return [400, toRestErrors(saved.errors), JSON_HEADERS];
    return saved.created
      ? created(saved.id)
      : [200, { id: saved.id, success: true, errors: [], created: false }, JSON_HEADERS];
  }

  private singleUpdate(type: string, id: string, body: unknown): Reply {
    const existing = this.store.get(id);
    if (!existing || existing.deleted || existing.type !== type)
      return [
        404,
        [{ message: 'entity is deleted', errorCode: 'ENTITY_IS_DELETED', fields: [] }],
        JSON_HEADERS,
      ];
    const saved = this.save(type, id, body as Record<string, unknown>);
    return 'errors' in saved ? [400, toRestErrors(saved.errors), JSON_HEADERS] : [204, '', {}];
  }

  /** Inserts (id null) or updates one record after resolving its references. */
  private save(
    type: string,
    id: string | null,
    input: Record<string, unknown>,
  ): { id: string; created: boolean } | { errors: RowError[] } {
    const fields: Record<string, unknown> = {};
    const errors: RowError[] = [];
    for (const [name, value] of Object.entries(input)) {
      if (name === 'attributes' || name === 'id' || name === 'Id') continue;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        const parentType = RELATIONSHIPS[name];
        const [[parentField, parentValue]] = Object.entries(value as Record<string, unknown>);
        const parents = parentType ? this.holders(parentType, parentField, String(parentValue)) : [];
        if (parents.length !== 1) {
          errors.push(
            rowError(
              'INVALID_FIELD',
              `Foreign key external ID: ${String(parentValue)} not found for field ${parentField} in entity ${parentType ?? name}`,
              [name],
            ),
          );
          continue;
        }
        fields[`${name}Id`] = parents[0].fields.Id;
      } else if (name.endsWith('Id') && typeof value === 'string' && RELATIONSHIPS[name.slice(0, -2)]) {
        const parent = this.store.get(value);
        if (!parent || parent.deleted || parent.type !== RELATIONSHIPS[name.slice(0, -2)]) {
          errors.push(rowError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [name]));
          continue;
        }
        fields[name] = value;
      } else fields[name] = value;
    }
    if (errors.length) return { errors };
    if (id) {
      Object.assign(this.store.get(id)!.fields, fields, { SystemModstamp: this.stamp() });
      return { id, created: false };
    }
    return { id: this.insert(type, fields), created: true };
  }

  private holders(type: string, field: string, value: string): StoredRecord[] {
    return [...this.store.values()].filter((r) => r.type === type && !r.deleted && r.fields[field] === value);
  }

  // ---------------------------------------------------------------- reads

  private getDeleted(type: string, params: URLSearchParams): Reply {
    const start = Date.parse(params.get('start') ?? '');
    const end = Date.parse(params.get('end') ?? '');
    if (Number.isNaN(start) || Number.isNaN(end) || end < start)
      return [
        400,
        [{ message: 'start and end are required', errorCode: 'INVALID_REPLICATION_DATE' }],
        JSON_HEADERS,
      ];
    const deletedRecords = this.deletions
      .filter((d) => d.type === type && d.deletedDate.getTime() >= start && d.deletedDate.getTime() <= end)
      .map((d) => ({ id: d.id, deletedDate: salesforceDateTime(d.deletedDate) }));
    return [
      200,
      {
        deletedRecords,
        earliestDateAvailable: salesforceDateTime(new Date(this.options.now().getTime() - 15 * 86_400_000)),
        latestDateCovered: salesforceDateTime(new Date(end)),
      },
      JSON_HEADERS,
    ];
  }

  private query(soql: string, includeDeleted: boolean): Reply {
    let parsed: ParsedQuery;
    try {
      parsed = parseSoql(soql);
    } catch (error) {
      return [400, [{ message: (error as Error).message, errorCode: 'MALFORMED_QUERY' }], JSON_HEADERS];
    }
    const rows = [...this.store.values()]
      .filter((r) => r.type === parsed.from && (includeDeleted || !r.deleted))
      .map((r): Record<string, unknown> => ({ ...r.fields, IsDeleted: r.deleted }))
      .filter((fields) => !parsed.where || evaluate(parsed.where, fields))
      .sort((a, b) => {
        for (const key of parsed.orderBy) {
          const order = compareValues(a[key], b[key]);
          if (order) return order;
        }
        return 0;
      })
      .map((fields) => this.project(parsed, fields));
    const cursor = `01gFAKE${++this.counter}`;
    this.cursors.set(cursor, { records: rows });
    return this.nextPage(cursor);
  }

  private nextPage(cursorWithOffset: string): Reply {
    const [cursor] = cursorWithOffset.split('-');
    const state = this.cursors.get(cursor);
    if (!state)
      return [400, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }], JSON_HEADERS];
    const size = this.options.pageSize ?? 2000;
    const offset = cursorWithOffset.includes('-') ? Number(cursorWithOffset.split('-')[1]) : 0;
    const records = state.records.slice(offset, offset + size);
    const done = offset + size >= state.records.length;
    const page: Record<string, unknown> = { totalSize: state.records.length, done, records };
    if (!done) page.nextRecordsUrl = `/services/data/v${this.apiVersion}/query/${cursor}-${offset + size}`;
    return [200, page, JSON_HEADERS];
  }

  /** The selected fields, parent records (`Account.Name` → `Account: {…}`) and the child subquery. */
  private project(parsed: ParsedQuery, fields: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      attributes: {
        type: parsed.from,
        url: `/services/data/v${this.apiVersion}/sobjects/${parsed.from}/${String(fields.Id)}`,
      },
    };
    for (const field of parsed.fields) {
      const [head, tail] = field.split('.');
      if (!tail) {
        out[head] = fields[head] ?? null;
        continue;
      }
      const parentId = fields[`${head}Id`];
      const parent = typeof parentId === 'string' ? this.get(parentId) : null;
      if (!parent) {
        out[head] = null;
        continue;
      }
      const related = (out[head] ?? {
        attributes: { type: head, url: `/services/data/v${this.apiVersion}/sobjects/${head}/${parent.Id}` },
      }) as Record<string, unknown>;
      related[tail] = parent[tail] ?? null;
      out[head] = related;
    }
    for (const child of parsed.children) {
      const rows = (fields[child] as unknown[] | undefined) ?? [];
      out[child] = rows.length
        ? { totalSize: rows.length, done: true, records: structuredClone(rows) }
        : null;
    }
    return out;
  }

  // ---------------------------------------------------------------- helpers

  private newId(type: string): string {
    const prefix = ID_PREFIX[type] ?? 'a00';
    return `${prefix}FK${String(++this.counter).padStart(10, '0')}AAA`;
  }

  private stamp(): string {
    return salesforceDateTime(this.options.now());
  }

  private snapshot(): Map<string, StoredRecord> {
    return new Map([...this.store].map(([id, r]) => [id, structuredClone(r)]));
  }

  private restore(snapshot: Map<string, StoredRecord>): void {
    this.store.clear();
    for (const [id, r] of snapshot) this.store.set(id, r);
  }
}

const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

function rowError(statusCode: string, message: string, fields: string[] = []): RowError {
  return { statusCode, message, fields };
}

function toRestErrors(errors: RowError[]) {
  return errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields }));
}

function created(id: string): Reply {
  return [201, { id, success: true, errors: [], created: true }, JSON_HEADERS];
}

function notFoundReply(method: string, path: string): Reply {
  return [
    404,
    [{ message: `The fake has no resource for ${method} ${path}`, errorCode: 'NOT_FOUND' }],
    JSON_HEADERS,
  ];
}

/** `2025-01-15T10:00:01.000+0000`, as Salesforce writes datetimes. */
export function salesforceDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

// ---------------------------------------------------------------- SOQL subset

type Condition =
  { kind: 'and' | 'or'; parts: Condition[] } | { kind: 'cmp'; field: string; op: string; value: unknown };

interface ParsedQuery {
  fields: string[];
  children: string[];
  from: string;
  where: Condition | null;
  orderBy: string[];
}

/** Splits at a top-level keyword (outside parentheses and quotes). */
function splitTopLevel(text: string, separator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth === 0) {
      const match = separator.exec(text.slice(i));
      if (match && match.index === 0 && (i === 0 || /\s|,/.test(text[i - 1]) || match[0].startsWith(','))) {
        parts.push(text.slice(start, i));
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function parseSoql(soql: string): ParsedQuery {
  const text = soql.trim();
  if (!/^SELECT\s/i.test(text)) throw new Error(`unexpected token at the start of: ${text}`);
  const [selectPart, rest] = splitTopLevel(text.slice(7), /^FROM\s/i);
  if (rest === undefined) throw new Error('FROM expected');
  const [fromAndWhere, orderPart] = splitTopLevel(rest, /^ORDER BY\s/i);
  const [fromPart, wherePart] = splitTopLevel(fromAndWhere, /^WHERE\s/i);
  const fields: string[] = [];
  const children: string[] = [];
  for (const field of splitTopLevel(selectPart, /^,/)) {
    const sub = /^\(SELECT .* FROM (\w+)/i.exec(field);
    if (sub) children.push(sub[1]);
    else if (field) fields.push(field);
  }
  return {
    fields,
    children,
    from: fromPart.split(/\s+/)[0],
    where: wherePart ? parseCondition(wherePart) : null,
    orderBy: orderPart
      ? orderPart
          .replace(/\s+LIMIT\s+\d+$/i, '')
          .split(',')
          .map((f) => f.trim().split(/\s+/)[0])
      : [],
  };
}

function parseCondition(text: string): Condition {
  const trimmed = text.trim();
  const ors = splitTopLevel(trimmed, /^OR\s/i);
  if (ors.length > 1) return { kind: 'or', parts: ors.map(parseCondition) };
  const ands = splitTopLevel(trimmed, /^AND\s/i);
  if (ands.length > 1) return { kind: 'and', parts: ands.map(parseCondition) };
  if (trimmed.startsWith('(') && trimmed.endsWith(')')) return parseCondition(trimmed.slice(1, -1));
  const match = /^([\w.]+)\s*(=|!=|<=|>=|<|>)\s*(.+)$/.exec(trimmed);
  if (!match) throw new Error(`unexpected condition: ${trimmed}`);
  return { kind: 'cmp', field: match[1], op: match[2], value: parseLiteral(match[3].trim()) };
}

function parseLiteral(text: string): unknown {
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (/^null$/i.test(text)) return null;
  if (text.startsWith("'")) return text.slice(1, -1).replace(/\\'/g, "'");
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) return new Date(text);
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  throw new Error(`unexpected literal: ${text}`);
}

function evaluate(condition: Condition, fields: Record<string, unknown>): boolean {
  if (condition.kind !== 'cmp')
    return condition.kind === 'and'
      ? condition.parts.every((p) => evaluate(p, fields))
      : condition.parts.some((p) => evaluate(p, fields));
  const order = compareValues(fields[condition.field] ?? null, condition.value);
  switch (condition.op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

function compareValues(a: unknown, b: unknown): number {
  const asTime = (v: unknown) =>
    v instanceof Date
      ? v.getTime()
      : typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)
        ? Date.parse(v.replace(/\+0000$/, 'Z'))
        : null;
  const ta = asTime(a);
  const tb = asTime(b);
  if (ta !== null && tb !== null) return ta - tb;
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return String(a) < String(b) ? -1 : 1;
}
