import {
  base64urlEncode,
  base64urlJson,
  parseBase64urlJson,
  publicKeyOf,
  type publicKeyToJwk,
  type Signer,
  sha256,
  toHex,
  utf8,
} from '@clavis/crypto'
import { createDidEthrKey } from '@clavis/did'
import type { TestAgent } from './harness'

/** A decoded JSON object that tests take apart and change freely. */
// biome-ignore lint/suspicious/noExplicitAny: tests reach into decoded JWT JSON without narrowing.
export type Json = Record<string, any>

/** A wallet key on the local chain: its DID exists without any transaction. */
export interface HolderKey {
  did: string
  kid: string
  jwk: ReturnType<typeof publicKeyToJwk>
  signer: Signer
  publicKeyHex: string
}

/**
 * A new secp256k1 key and its `did:ethr:0x7a69:<compressed public key>`.
 *
 * @example
 * const clinician = holderKey()
 */
export function holderKey(): HolderKey {
  const key = createDidEthrKey({ chainId: 31337 })
  return { ...key, publicKeyHex: toHex(publicKeyOf('ES256K', key.privateKey)) }
}

/** Header and payload of a compact JWT (not verified). */
export function decodeJwt(jwt: string): { header: Json; payload: Json } {
  const [h, p] = jwt.split('.')
  return {
    header: parseBase64urlJson(h!) as Json,
    payload: parseBase64urlJson(p!) as Json,
  }
}

/** Signs a compact JWT with any header and payload (for crafting what the API refuses to issue). */
export async function signJwt(options: {
  header: Record<string, unknown>
  payload: Record<string, unknown>
  signer: Signer
}): Promise<string> {
  const input = `${base64urlJson(options.header)}.${base64urlJson(options.payload)}`
  return `${input}.${await options.signer(input)}`
}

/** Decodes a JWT, lets `mutate` change it, and signs it again with `signer`. */
export async function resign(
  jwt: string,
  signer: Signer,
  mutate: (header: Json, payload: Json) => void,
): Promise<string> {
  const { header, payload } = decodeJwt(jwt)
  mutate(header, payload)
  return signJwt({ header, payload, signer })
}

/** The SD-JWT part of an issued credential or presentation: `<jwt>~<d1>~…~` (no KB-JWT). */
export function withoutKeyBinding(sdJwt: string): string {
  return sdJwt.slice(0, sdJwt.lastIndexOf('~') + 1)
}

/** Encodes a disclosure `[salt, name, value]`. */
export function encodeDisclosure(item: unknown[]): string {
  return base64urlEncode(utf8(JSON.stringify(item)))
}

/**
 * Appends a KB-JWT to `sdJwt` (which ends in `~`), signed by `signer` whatever key the credential
 * binds to: lets tests build presentations that the wallet library refuses to make.
 */
export async function bindKey(options: {
  sdJwt: string
  signer: Signer
  nonce: string
  audience: string
  iat?: number
}): Promise<string> {
  const sd_hash = base64urlEncode(sha256(utf8(options.sdJwt)))
  const kb = await signJwt({
    header: { alg: 'ES256K', typ: 'kb+jwt' },
    payload: {
      iat: options.iat ?? Math.floor(Date.now() / 1000),
      aud: options.audience,
      nonce: options.nonce,
      sd_hash,
    },
    signer: options.signer,
  })
  return `${options.sdJwt}${kb}`
}

/** Flips one character in the middle of a JWT's signature (still valid base64url, wrong value). */
export function tamperSignature(jwt: string): string {
  const dot = jwt.lastIndexOf('.')
  const at = dot + 10
  const c = jwt[at] === 'A' ? 'B' : 'A'
  return `${jwt.slice(0, at)}${c}${jwt.slice(at + 1)}`
}

/** What `POST …/presentation-requests` answers. */
export interface PresentationRequest {
  nonce: string
  audience: string
  expiresAt: string
  requestSecret: string
}

/** The API calls the e2e tests make, bound to one running agent. */
export function agentCalls(t: TestAgent) {
  return {
    /** Issues a credential as `org`; returns status and body. */
    issue: (org: TestAgent['board'], body: Record<string, unknown>) =>
      t.request('POST', `/v1/organisations/${org.id}/credentials`, { token: org.token, body }),
    /** Verifies a credential for the demo hospital. */
    verify: async (credential: string) =>
      (await t.request('POST', '/v1/verify', { body: { credential, verifier: t.hospital.id } })).body,
    /** A fresh nonce, the audience of the demo hospital and the request's secret. */
    presentationRequest: async () =>
      (
        await t.request('POST', `/v1/organisations/${t.hospital.id}/presentation-requests`, {
          token: t.hospital.token,
          body: {},
        })
      ).body as PresentationRequest,
    /** Verifies a presentation for the demo hospital, made for `request`. */
    verifyPresentation: async (presentation: string, request: PresentationRequest) =>
      (
        await t.request('POST', '/v1/verify/presentation', {
          body: {
            presentation,
            nonce: request.nonce,
            requestSecret: request.requestSecret,
            verifier: t.hospital.id,
          },
        })
      ).body,
    /** Revokes, suspends or reinstates a credential `org` issued. */
    setStatus: (org: TestAgent['board'], id: string, action: 'revoke' | 'suspend' | 'reinstate') =>
      t.request('POST', `/v1/organisations/${org.id}/credentials/${id}/status`, {
        token: org.token,
        body: { action },
      }),
  }
}

/**
 * A JWT with its header merged with `header` and its payload changed by `payload`, keeping the
 * original signature (or `signature`): for tampering, not re-signed.
 */
export function alterJwt(
  jwt: string,
  change: { header?: Json; payload?: (payload: Json) => void; signature?: string },
): string {
  const decoded = decodeJwt(jwt)
  change.payload?.(decoded.payload)
  const header = { ...decoded.header, ...change.header }
  return `${base64urlJson(header)}.${base64urlJson(decoded.payload)}.${change.signature ?? jwt.split('.')[2]}`
}
