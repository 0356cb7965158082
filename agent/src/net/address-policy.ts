import { type LookupAddress, lookup } from 'node:dns'
import { BlockList, isIP, type LookupFunction } from 'node:net'
import { ClavisError } from '@clavis/errors'

/**
 * Addresses an outbound fetch never connects to: this host, private networks, link-local (cloud
 * metadata), shared, benchmark, documentation, multicast and reserved ranges, and the IPv6 forms
 * that embed an IPv4 address (IPv4 rules also match IPv4-mapped IPv6 here).
 */
const REFUSED = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  REFUSED.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 96], // unspecified, loopback and IPv4-compatible
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local
  ['ff00::', 8], // multicast
] as const)
  REFUSED.addSubnet(net, prefix, 'ipv6')

/**
 * Whether `ip` (an IP address literal, without brackets) is one an outbound fetch may connect to.
 * Anything that is not an IP address literal is refused.
 *
 * @example
 * isPublicAddress('93.184.216.34') // true
 * isPublicAddress('::ffff:7f00:1') // false (127.0.0.1)
 */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 0) return false
  return !REFUSED.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}

/** An outbound address was refused (private, loopback, link-local, …). */
export class RefusedAddressError extends ClavisError<'refused_address'> {
  override readonly name = 'RefusedAddressError'

  constructor(message: string, options: { cause?: unknown } = {}) {
    super({ code: 'refused_address', message, cause: options.cause })
  }
}

/**
 * A socket `lookup` that refuses names resolving to any non-public address. The address checked is
 * the address connected to: a second, unchecked resolution would let a rebinding DNS server point
 * the request inward.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0)
    if (addresses.length === 0 || addresses.some((a) => !isPublicAddress(a.address))) {
      return callback(new RefusedAddressError(`${hostname} resolves to a refused address`), '', 0)
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses)
    return callback(null, addresses[0]!.address, addresses[0]!.family)
  })
}

/**
 * Throws {@link RefusedAddressError} if `url`'s host is an IP literal that is not public. (The
 * WHATWG URL parser has already turned `127.1`, `2130706433`, `0x7f000001` and `0177.0.0.1` into
 * `127.0.0.1`.) Names are checked when they are resolved, by {@link publicOnlyLookup}.
 *
 * @example
 * assertPublicHost(new URL('https://[::1]/list')) // throws
 */
export function assertPublicHost(url: URL): void {
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) !== 0 && !isPublicAddress(host))
    throw new RefusedAddressError(`${host} is not a public address`)
}
