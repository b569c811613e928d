import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from '../../domain/public-address';

type BaseLookup = (
  hostname: string,
  options: { all: true; family?: number | 'IPv4' | 'IPv6'; hints?: number },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A connect-time DNS lookup that refuses non-public addresses. `PublicUrlPolicy` checks a URL before a
 * call, but the HTTP client resolves the name again when it connects: a name that answers a public
 * address to the check and 127.0.0.1 a moment later (DNS rebinding) would slip through. Resolving
 * through this lookup makes the address actually connected to the one that is checked.
 */
export function publicOnlyLookup(base: BaseLookup = dnsLookup as unknown as BaseLookup): LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { all: true, family: options.family, hints: options.hints }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const refused = addresses.filter(({ address }) => !isPublicAddress(address));
      if (refused.length || !addresses.length) {
        const denied = Object.assign(new Error(`${hostname} resolves to a non-public address`), {
          code: 'EADDRNOTPUBLIC',
        }) as NodeJS.ErrnoException;
        return callback(denied, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/**
 * In production, the process's default HTTP agents connect to public addresses only. The Salesforce
 * connector's HTTP library uses these default agents; nothing else in the server calls out through them.
 */
export function guardDefaultAgents(lookup: LookupFunction = publicOnlyLookup()): void {
  https.globalAgent = new https.Agent({ keepAlive: true, lookup });
  http.globalAgent = new http.Agent({ keepAlive: true, lookup });
}
