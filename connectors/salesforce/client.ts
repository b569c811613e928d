import { Connection, OAuth2 } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import {
  SalesforceError,
  backoffDelayMs,
  classifyRequestFailure,
  parseErrorBody,
  type SalesforceErrorKind,
} from './errors';

export const DEFAULT_API_VERSION = '62.0';

export interface SalesforceCredentials {
  loginUrl: string;
  instanceUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** A still-valid access token saves a refresh at start; null means "refresh before the first call". */
  accessToken?: string | null;
  apiVersion?: string | null;
}

export interface RefreshedSession {
  accessToken: string;
  instanceUrl: string;
  /** Only set when Salesforce rotated the refresh token: it must be stored, the old one stops working. */
  rotatedRefreshToken: string | null;
  /** The org id from the identity URL (`…/id/<orgId>/<userId>`). */
  organizationId: string | null;
}

export interface ApiUsage {
  used: number;
  max: number;
}

export interface SalesforceClientDeps {
  /** Milliseconds since the epoch; injectable so tests control the refresh circuit and backoff. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
  /** The refresh token as stored now (another process may have rotated it); read before giving up on `invalid_grant`. */
  reloadRefreshToken?: () => Promise<string | null>;
  /** Called after every successful refresh, before the request that needed it is replayed. */
  onSessionRefreshed?: (session: RefreshedSession) => Promise<void>;
  onApiUsage?: (usage: ApiUsage) => void;
  /** Attempts for idempotent reads (the first included). Writes are retried by the outbox, not here. */
  readAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  maxRefreshesPerMinute?: number;
  /**
   * Called with every URL before it is requested (token endpoint, instance URL, pagination links);
   * rejecting refuses the request. Redirects are never followed, so every hop passes through here.
   */
  checkUrl?: (url: string) => Promise<void>;
}

export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

export interface SaveResult {
  id?: string;
  success: boolean;
  created?: boolean;
  errors: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
}

export interface DeletedRecords {
  deletedRecords: Array<{ id: string; deletedDate: string }>;
  earliestDateAvailable: string | null;
  latestDateCovered: string | null;
}

/** jsforce's own GET/PUT/DELETE retry (6 attempts, ~15 s, invisible to us) is switched off on every call. */
const NO_JSFORCE_RETRY: HttpRequestOptions['retry'] = { maxRetries: 0, methods: [] };

/** Redirects are not followed: the next hop could be an address the caller was not allowed to reach. */
const NO_REDIRECT: Pick<HttpRequestOptions, 'followRedirect'> = { followRedirect: false };

interface HttpTransport {
  httpRequest(req: HttpRequest, options?: HttpRequestOptions): Promise<HttpResponse>;
}

/** Records the last raw response of one call: jsforce's errors drop the HTTP status and headers. */
class RecordingTransport {
  last: HttpResponse | null = null;
  constructor(private readonly base: HttpTransport) {}

  httpRequest(req: HttpRequest, options?: HttpRequestOptions) {
    const pending = this.base.httpRequest(req, { ...options, ...NO_REDIRECT, retry: NO_JSFORCE_RETRY });
    Promise.resolve(pending).then(
      (response) => {
        this.last = response;
      },
      () => undefined,
    );
    return pending;
  }
}

/**
 * A Salesforce REST client over one jsforce Connection. It always sends the configured API version,
 * refreshes the session with its own function (persisting rotated refresh tokens, following a changed
 * instance URL, and opening a circuit after too many refreshes a minute), runs its own retry loop for
 * reads, paginates queries by `nextRecordsUrl`, and remembers the API usage Salesforce reports.
 */
export class SalesforceClient {
  readonly apiVersion: string;
  private readonly conn: Connection;
  private readonly oauth: OAuth2;
  private refreshToken: string;
  private readonly refreshTimes: number[] = [];
  private lastRefreshError: SalesforceError | null = null;
  private broken: SalesforceError | null = null;
  private usage: ApiUsage | null = null;
  private readonly readAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRefreshesPerMinute: number;

  constructor(
    credentials: SalesforceCredentials,
    private readonly deps: SalesforceClientDeps,
  ) {
    this.apiVersion = credentials.apiVersion || DEFAULT_API_VERSION;
    this.refreshToken = credentials.refreshToken;
    this.readAttempts = deps.readAttempts ?? 4;
    this.backoffBaseMs = deps.backoffBaseMs ?? 500;
    this.backoffMaxMs = deps.backoffMaxMs ?? 30_000;
    this.maxRefreshesPerMinute = deps.maxRefreshesPerMinute ?? 3;
    this.oauth = new OAuth2({
      loginUrl: trimSlash(credentials.loginUrl),
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
    });
    const oauthTransport = (this.oauth as unknown as { _transport: HttpTransport })._transport;
    (this.oauth as unknown as { _transport: HttpTransport })._transport = {
      httpRequest: (req, options) => oauthTransport.httpRequest(req, { ...options, ...NO_REDIRECT }),
    };
    this.conn = new Connection({
      loginUrl: trimSlash(credentials.loginUrl),
      instanceUrl: trimSlash(credentials.instanceUrl),
      version: this.apiVersion,
      accessToken: credentials.accessToken ?? undefined,
      refreshFn: (_conn, callback) => {
        this.refreshSession().then(
          (session) => callback(null, session.accessToken),
          (error: Error) => callback(error),
        );
      },
    });
  }

  get instanceUrl(): string {
    return this.conn.instanceUrl;
  }

  get accessToken(): string | null {
    return this.conn.accessToken ?? null;
  }

  /** Set once refreshing cannot succeed any more; every later call fails with it without touching the network. */
  get authBroken(): SalesforceError | null {
    return this.broken;
  }

  get apiUsage(): ApiUsage | null {
    return this.usage;
  }

  /**
   * Calls the OAuth token endpoint with the refresh token. At most `maxRefreshesPerMinute` (3) a minute:
   * jsforce replays a 401 after every refresh, forever, so a session Salesforce keeps rejecting would
   * otherwise loop. Past the limit, and on `invalid_grant`, the client reports itself auth-broken.
   */
  async refreshSession(): Promise<RefreshedSession> {
    if (this.broken) throw this.broken;
    const now = this.deps.now();
    while (this.refreshTimes.length && this.refreshTimes[0] <= now - 60_000) this.refreshTimes.shift();
    if (this.refreshTimes.length >= this.maxRefreshesPerMinute) {
      this.broken = new SalesforceError(
        'AUTH_BROKEN',
        'REFRESH_LOOP',
        `Salesforce rejected the session after ${this.refreshTimes.length} token refreshes within a minute; ` +
          'stopped refreshing (check the connected app policies and the integration user)',
        401,
      );
      this.lastRefreshError = this.broken;
      throw this.broken;
    }
    this.refreshTimes.push(now);
    await this.checkUrl(this.oauth.tokenServiceUrl);
    let response: Record<string, string>;
    try {
      response = await this.requestToken();
    } catch (error) {
      const code = (error as Error).name || 'TOKEN_ERROR';
      const message = `Token refresh failed: ${code}: ${(error as Error).message}`;
      const kind: SalesforceErrorKind =
        /^(invalid_grant|invalid_client|invalid_client_id|unauthorized_client)$/.test(code)
          ? 'AUTH_BROKEN'
          : classifyRequestFailure(null, (error as { code?: string }).code ?? null);
      const failure = new SalesforceError(kind, code, message);
      if (kind === 'AUTH_BROKEN') this.broken = failure;
      this.lastRefreshError = failure;
      throw failure;
    }
    this.lastRefreshError = null;
    const session: RefreshedSession = {
      accessToken: response.access_token,
      instanceUrl: trimSlash(response.instance_url || this.conn.instanceUrl),
      rotatedRefreshToken:
        response.refresh_token && response.refresh_token !== this.refreshToken
          ? response.refresh_token
          : null,
      organizationId: response.id ? (response.id.split('/').slice(-2)[0] ?? null) : null,
    };
    this.conn.accessToken = session.accessToken;
    // A changed instance URL (org migration, My Domain change) applies to every request built from now on.
    if (session.instanceUrl !== this.conn.instanceUrl) this.conn.instanceUrl = session.instanceUrl;
    if (session.rotatedRefreshToken) this.refreshToken = session.rotatedRefreshToken;
    await this.deps.onSessionRefreshed?.(session);
    return session;
  }

  /**
   * The refresh-token grant. Several processes share one connection: when another one rotated the refresh
   * token, ours answers `invalid_grant`, so the stored token is reloaded and tried once before auth is
   * declared broken.
   */
  private async requestToken(): Promise<Record<string, string>> {
    try {
      return (await this.oauth.refreshToken(this.refreshToken)) as unknown as Record<string, string>;
    } catch (error) {
      if ((error as Error).name !== 'invalid_grant' || !this.deps.reloadRefreshToken) throw error;
      const stored = await this.deps.reloadRefreshToken();
      if (!stored || stored === this.refreshToken) throw error;
      this.refreshToken = stored;
      return (await this.oauth.refreshToken(this.refreshToken)) as unknown as Record<string, string>;
    }
  }

  /** GET a REST resource (path from the version root, a `/services/...` path, or an absolute URL). */
  async get<T>(path: string, headers: Record<string, string> = {}): Promise<T> {
    return this.send<T>({ method: 'GET', url: path, headers }, this.readAttempts);
  }

  /** PATCH/POST with a JSON body. Not retried here: the caller (the outbox) owns retries for writes. */
  async write<T>(method: 'PATCH' | 'POST', path: string, body: unknown): Promise<T> {
    return this.send<T>(
      { method, url: path, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } },
      1,
    );
  }

  /** One page of a SOQL query (`/query`, or `/queryAll` to include deleted rows), 2,000 rows at most. */
  async queryFirstPage<T>(soql: string, options: { includeDeleted?: boolean } = {}): Promise<QueryResult<T>> {
    const resource = options.includeDeleted ? 'queryAll' : 'query';
    return this.get<QueryResult<T>>(`/${resource}?q=${encodeURIComponent(soql)}`, {
      'Sforce-Query-Options': 'batchSize=2000',
    });
  }

  /**
   * Records of `sobject` deleted in [start, end], including those whose recycle bin was emptied since
   * (queries, even through `/queryAll`, no longer see those). Salesforce keeps this for about 30 days.
   */
  async getDeleted(sobject: string, start: Date, end: Date): Promise<DeletedRecords> {
    const at = (date: Date) => encodeURIComponent(`${date.toISOString().slice(0, 19)}+00:00`);
    return this.get<DeletedRecords>(`/sobjects/${sobject}/deleted/?start=${at(start)}&end=${at(end)}`);
  }

  async queryNextPage<T>(nextRecordsUrl: string): Promise<QueryResult<T>> {
    return this.get<QueryResult<T>>(nextRecordsUrl, { 'Sforce-Query-Options': 'batchSize=2000' });
  }

  /**
   * Every page of a query, following `nextRecordsUrl` ourselves (no autoFetch and its silent 10,000-row
   * cap, no Bulk API 2.0 query). Child subqueries (`relations`) that were cut short are completed.
   */
  async *queryPages<T extends Record<string, unknown>>(
    soql: string,
    options: { includeDeleted?: boolean; relations?: string[] } = {},
  ): AsyncGenerator<QueryResult<T>> {
    let page = await this.queryFirstPage<T>(soql, options);
    for (;;) {
      for (const relation of options.relations ?? []) await this.completeChildren(page.records, relation);
      yield page;
      if (page.done || !page.nextRecordsUrl) return;
      page = await this.queryNextPage<T>(page.nextRecordsUrl);
    }
  }

  private async completeChildren(records: Array<Record<string, unknown>>, relation: string): Promise<void> {
    for (const record of records) {
      let children = record[relation] as QueryResult<unknown> | null | undefined;
      if (!children || children.done || !children.nextRecordsUrl) continue;
      const all = [...children.records];
      while (children && !children.done && children.nextRecordsUrl) {
        children = await this.queryNextPage<unknown>(children.nextRecordsUrl);
        all.push(...children.records);
      }
      record[relation] = { totalSize: all.length, done: true, records: all };
    }
  }

  private absoluteUrl(path: string): string {
    if (/^https?:\/\//.test(path)) return path;
    if (path.startsWith('/services/')) return `${this.conn.instanceUrl}${path}`;
    return `${this.conn.instanceUrl}/services/data/v${this.apiVersion}${path.startsWith('/') ? '' : '/'}${path}`;
  }

  private async send<T>(
    request: { method: HttpRequest['method']; url: string; body?: string; headers?: Record<string, string> },
    attempts: number,
  ): Promise<T> {
    if (!this.conn.accessToken && !this.broken) await this.refreshSession();
    for (let attempt = 1; ; attempt++) {
      if (this.broken) throw this.broken;
      const recorder = new RecordingTransport(
        (this.conn as unknown as { _transport: ConstructorParameters<typeof RecordingTransport>[0] })
          ._transport,
      );
      const instanceBefore = this.conn.instanceUrl;
      // The URL is rebuilt on every attempt so a retry follows an instance URL changed by a refresh.
      const url = this.absoluteUrl(request.url);
      await this.checkUrl(url);
      try {
        const result = await this.conn.request<T>(
          { ...request, url, headers: { ...request.headers } },
          { transport: recorder, retry: NO_JSFORCE_RETRY, noContentResponse: { success: true, errors: [] } },
        );
        this.captureUsage(recorder.last);
        return result;
      } catch (error) {
        this.captureUsage(recorder.last);
        const failure = this.toSalesforceError(error, recorder.last);
        failure.request ??= describeRequest(request.method, this.absoluteUrl(request.url));
        const movedInstance = this.conn.instanceUrl !== instanceBefore;
        if (
          (failure.kind === 'TRANSIENT' || movedInstance) &&
          attempt < Math.max(attempts, movedInstance ? 2 : 1)
        ) {
          if (!movedInstance)
            await this.deps.sleep(
              backoffDelayMs(attempt, this.backoffBaseMs, this.backoffMaxMs, this.deps.random ?? Math.random),
            );
          continue;
        }
        throw failure;
      }
    }
  }

  /** A refused URL is a configuration problem: the client stops and reports it, without retrying. */
  private async checkUrl(url: string): Promise<void> {
    if (!this.deps.checkUrl) return;
    try {
      await this.deps.checkUrl(url);
    } catch {
      this.broken = new SalesforceError(
        'AUTH_BROKEN',
        'URL_NOT_ALLOWED',
        'The Salesforce URL is not allowed',
      );
      this.lastRefreshError = this.broken;
      throw this.broken;
    }
  }

  private toSalesforceError(error: unknown, response: HttpResponse | null): SalesforceError {
    if (error instanceof SalesforceError) return error;
    const err = error as {
      name?: string;
      message?: string;
      errorCode?: string;
      code?: string;
      data?: unknown;
    };
    // jsforce wraps our refresh function's failure in a plain Error: use the classified original.
    if (err.message?.startsWith('Unable to refresh session') && (this.broken || this.lastRefreshError)) {
      return (this.broken ?? this.lastRefreshError)!;
    }
    const status = response?.statusCode ?? null;
    if (!response && err.code) {
      return new SalesforceError(
        classifyRequestFailure(null, err.code),
        err.code,
        `Network error: ${err.message ?? err.code}`,
      );
    }
    let code = err.errorCode ?? null;
    let message = err.message ?? 'Salesforce request failed';
    if (status === 300 || code === 'MULTIPLE_CHOICES') {
      code = 'MULTIPLE_CHOICES';
      message = `The external id matches several records: ${JSON.stringify(err.data ?? '')}`;
    } else if (!code || code.startsWith('ERROR_HTTP_') || code === 'MULTIPLE_API_ERRORS') {
      const parsed = parseErrorBody(err.data);
      code = parsed.code ?? code ?? (status ? `HTTP_${status}` : 'UNKNOWN');
      message = parsed.message ?? message;
    }
    return new SalesforceError(classifyRequestFailure(status, code), code, message, status);
  }

  private captureUsage(response: HttpResponse | null): void {
    const header = response?.headers?.['sforce-limit-info'];
    const match = typeof header === 'string' ? /api-usage=(\d+)\/(\d+)/.exec(header) : null;
    if (!match) return;
    this.usage = { used: Number(match[1]), max: Number(match[2]) };
    this.deps.onApiUsage?.(this.usage);
  }
}

/** `METHOD path?query`, the query decoded and the whole cut short: enough to tell the calls of a sync apart. */
function describeRequest(method: string, url: string): string {
  let path = url.replace(/^https?:\/\/[^/]+/, '');
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not percent-encoded text: shown as sent.
  }
  const text = `${method} ${path}`;
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
