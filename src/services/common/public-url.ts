import { lookup } from 'node:dns/promises';
import { isPublicAddress } from '../../domain/public-address';

/** Resolves a host name to every address it has (an IP literal resolves to itself). */
export type AddressLookup = (hostname: string) => Promise<Array<{ address: string }>>;

const resolveAll: AddressLookup = (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Why a URL was refused. The detail (host, addresses, resolver error) is for the server log only:
 * callers get a generic answer, so the check cannot be used to map the network behind the server.
 */
export class UrlRefusedError extends Error {
  constructor(readonly detail: string) {
    super('The URL is not allowed');
    this.name = 'UrlRefusedError';
  }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The rule for URLs a user gives the server to call (Salesforce login and instance URLs; webhooks
 * later): https to public addresses only. Every address the name resolves to must be public, so a
 * DNS name pointing at 127.0.0.1 or a metadata service is refused like the literal address.
 * `allowPrivate` is a development setting: any https host, and plain http to loopback (local fakes).
 */
export class PublicUrlPolicy {
  private readonly lookup: AddressLookup;

  constructor(private readonly options: { allowPrivate: boolean; lookup?: AddressLookup }) {
    this.lookup = options.lookup ?? resolveAll;
  }

  get allowsPrivate(): boolean {
    return this.options.allowPrivate;
  }

  /** Throws `UrlRefusedError` unless `value` may be called; returns the parsed URL. */
  async check(value: string): Promise<URL> {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UrlRefusedError(`not a URL: ${value}`);
    }
    if (url.username || url.password) throw new UrlRefusedError(`credentials in the URL of ${url.host}`);
    if (this.options.allowPrivate) {
      if (url.protocol === 'https:') return url;
      if (url.protocol === 'http:' && LOOPBACK_NAMES.has(url.hostname)) return url;
      throw new UrlRefusedError(`${url.protocol} is not allowed for ${url.host}`);
    }
    if (url.protocol !== 'https:')
      throw new UrlRefusedError(`${url.protocol} is not allowed for ${url.host}`);
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: Array<{ address: string }>;
    try {
      addresses = await this.lookup(hostname);
    } catch (error) {
      throw new UrlRefusedError(`${hostname} did not resolve: ${(error as Error).message}`);
    }
    if (!addresses.length) throw new UrlRefusedError(`${hostname} has no address`);
    const blocked = addresses.filter(({ address }) => !isPublicAddress(address));
    if (blocked.length) {
      throw new UrlRefusedError(
        `${hostname} resolves to non-public ${blocked.map(({ address }) => address).join(', ')}`,
      );
    }
    return url;
  }
}
