import type { LookupAddress } from 'node:dns';
import { publicOnlyLookup } from '../../src/services/common';

/** A resolver answering fixed addresses, as a rebinding DNS server would on its second answer. */
function resolverAnswering(addresses: LookupAddress[]) {
  return (
    _hostname: string,
    _options: unknown,
    callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
  ) => callback(null, addresses);
}

function resolve(addresses: LookupAddress[], all: boolean) {
  return new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) =>
    publicOnlyLookup(resolverAnswering(addresses))('api.example.com', { all }, (error, address) =>
      done({ error, address }),
    ),
  );
}

describe('publicOnlyLookup: the address connected to is the one checked', () => {
  it('connects to a public address', async () => {
    const result = await resolve([{ address: '93.184.216.34', family: 4 }], false);
    expect(result).toEqual({ error: null, address: '93.184.216.34' });
  });

  it('refuses loopback, private, link-local (metadata) and IPv6 loopback answers at connect time', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.0.10']) {
      const result = await resolve([{ address, family: 4 }], false);
      expect(result.error?.code).toBe('EADDRNOTPUBLIC');
    }
    expect((await resolve([{ address: '::1', family: 6 }], true)).error?.code).toBe('EADDRNOTPUBLIC');
  });

  it('refuses a name with one public and one private address', async () => {
    const result = await resolve(
      [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
      true,
    );
    expect(result.error?.code).toBe('EADDRNOTPUBLIC');
  });
});
