// Test-only: an in-memory "status server" of real, signed status lists (131,072 entries each).
import type { JwsAlgorithm, Signer } from '@clavis/crypto'
import {
  Bitstring,
  type BitstringListFormat,
  MIN_LIST_ENTRIES,
  type StatusPurpose,
  signBitstringStatusListCredential,
  signTokenStatusListJwt,
  TokenStatusList,
} from '@clavis/status'
import { vi } from 'vitest'
import type { StatusListFetcher } from '../../src/statusChecker'
import type { TestIdentity } from './identities'

/** Who signs a list: the issuer DID, the key id, the algorithm and a signer. */
export interface ListSigner {
  issuer: string
  kid: string
  alg: JwsAlgorithm
  signer: Signer
}

/** The list signer of a did:ethr test identity (its `#controller` key). */
export const listSignerOf = (identity: TestIdentity): ListSigner => ({
  issuer: identity.did,
  kid: `${identity.did}#controller`,
  alg: 'ES256K',
  signer: identity.signer,
})

/**
 * Runs `sign` with `Date` (only) set to `at`: `signBitstringStatusListCredential` stamps `iat` with
 * the current time and has no option for it.
 */
async function signedAt<T>(at: Date | undefined, sign: () => Promise<T>): Promise<T> {
  if (!at) return sign()
  vi.setSystemTime(at)
  try {
    return await sign()
  } finally {
    vi.useRealTimers()
  }
}

/** A signed BitstringStatusListCredential with bits `set` set (a VC 1.1 JWT unless `format` says `vc+jwt`). */
export function signBitstringList(options: {
  signer: ListSigner
  format?: BitstringListFormat
  url: string
  purpose?: StatusPurpose
  set?: readonly number[]
  issuedAt?: Date
  ttlMs?: number
}): Promise<string> {
  const list = Bitstring.create(MIN_LIST_ENTRIES)
  for (const index of options.set ?? []) list.set(index, true)
  return signedAt(options.issuedAt, () =>
    signBitstringStatusListCredential({
      ...options.signer,
      format: options.format ?? 'jwt_vc',
      url: options.url,
      purpose: options.purpose ?? 'revocation',
      list,
      ttlMs: options.ttlMs ?? 300_000,
    }),
  )
}

/** A signed Token Status List (2 bits per entry) with the given `[index, status]` pairs. */
export function signTokenList(options: {
  signer: ListSigner
  url: string
  statuses?: readonly (readonly [number, number])[]
  issuedAt?: Date
  ttlSeconds?: number
}): Promise<string> {
  const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 2 })
  for (const [index, status] of options.statuses ?? []) list.set(index, status)
  return signTokenStatusListJwt({
    ...options.signer,
    uri: options.url,
    list,
    ttlSeconds: options.ttlSeconds ?? 300,
    ...(options.issuedAt ? { iat: options.issuedAt } : {}),
  })
}

/** An in-memory status server: URL → list JWT. Unknown URLs throw, as an unreachable server would. */
export interface StatusServer {
  /** The fetcher to give `createStatusChecker`. */
  fetchList: StatusListFetcher
  /** Every URL fetched, in order. */
  fetched: string[]
  /** Serves `jwt` at `url` (replacing what was there). */
  serve(url: string, jwt: string): void
  /** Signs and serves a bitstring list at its own URL. */
  publishBitstring(options: Parameters<typeof signBitstringList>[0]): Promise<string>
  /** Signs and serves a token list at its own URL. */
  publishToken(options: Parameters<typeof signTokenList>[0]): Promise<string>
}

/** A new, empty {@link StatusServer}. */
export function createStatusServer(): StatusServer {
  const lists = new Map<string, string>()
  const fetched: string[] = []
  return {
    fetched,
    async fetchList(url) {
      fetched.push(url)
      const jwt = lists.get(url)
      if (jwt === undefined) throw new Error(`connect ECONNREFUSED (${url})`)
      return jwt
    },
    serve(url, jwt) {
      lists.set(url, jwt)
    },
    async publishBitstring(options) {
      const jwt = await signBitstringList(options)
      lists.set(options.url, jwt)
      return jwt
    },
    async publishToken(options) {
      const jwt = await signTokenList(options)
      lists.set(options.url, jwt)
      return jwt
    },
  }
}
