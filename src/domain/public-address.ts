/**
 * Which IP addresses count as "public": reachable on the internet and owned by someone else. Outbound
 * calls to URLs a user typed in (Salesforce login and instance URLs, later webhooks) may only go there,
 * so a tenant cannot make the server talk to its own loopback, private network or cloud metadata service.
 */

/** IPv4 blocks that are never a third party's public service: [first address, prefix length]. */
const NON_PUBLIC_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT (also Alibaba's metadata address)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata at 169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

function parseV4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

function inV4Block(address: number, first: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  const start = parseV4(first)!;
  return address >= start && address < start + size;
}

function isPublicV4(address: number): boolean {
  return !NON_PUBLIC_V4.some(([first, prefix]) => inV4Block(address, first, prefix));
}

/** The eight 16-bit groups of an IPv6 address (a zone id and an embedded IPv4 tail allowed), or null. */
function parseV6(text: string): number[] | null {
  const bare = text.replace(/%.*$/, '');
  if (!/^[0-9a-f:.]+$/i.test(bare)) return null;
  let head = bare;
  if (bare.includes('.')) {
    // An embedded IPv4 tail (::ffff:127.0.0.1) becomes its two 16-bit groups.
    const lastColon = bare.lastIndexOf(':');
    const v4 = parseV4(bare.slice(lastColon + 1));
    if (v4 === null) return null;
    head = `${bare.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '' || part === ':') return [];
    const items = part.replace(/^:|:$/g, '').split(':');
    const out: number[] = [];
    for (const item of items) {
      if (!/^[0-9a-f]{1,4}$/i.test(item)) return null;
      out.push(parseInt(item, 16));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return null;
  const known = left.length + right.length;
  if (halves.length === 1 && known !== 8) return null;
  if (halves.length === 2 && known > 7) return null;
  return [...left, ...new Array<number>(8 - known).fill(0), ...right];
}

function isPublicV6(groups: number[]): boolean {
  const v4At = (high: number, low: number) => groups[high] * 65536 + groups[low];
  const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-translated NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address.
  if (zeroUpTo(5) && groups[5] === 0xffff) return isPublicV4(v4At(6, 7));
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((group) => group === 0))
    return isPublicV4(v4At(6, 7));
  // 6to4 (2002:a.b.c.d::/48) tunnels to the embedded IPv4 address.
  if (groups[0] === 0x2002) return isPublicV4(v4At(1, 2));
  // Only global unicast (2000::/3) is public; that excludes ::, ::1, the deprecated IPv4-compatible
  // ::a.b.c.d, link-local fe80::/10, unique-local fc00::/7 (AWS metadata fd00:ec2::254) and multicast.
  if ((groups[0] & 0xe000) !== 0x2000) return false;
  // Teredo tunnels and documentation addresses are not a real destination either.
  if (groups[0] === 0x2001 && (groups[1] === 0 || groups[1] === 0xdb8)) return false;
  return true;
}

/** True when `address` (an IPv4 or IPv6 literal, IPv6 possibly in brackets) is a public internet address. */
export function isPublicAddress(address: string): boolean {
  const text = address.replace(/^\[|\]$/g, '');
  const v4 = parseV4(text);
  if (v4 !== null) return isPublicV4(v4);
  const v6 = parseV6(text);
  if (v6 !== null) return isPublicV6(v6);
  return false;
}
