import { signJwt } from '@clavis/crypto'
import { Bitstring } from './bitstring'
import type { StatusPurpose } from './bitstringStatusEntry'
import { isStatusPurpose } from './bitstringStatusEntry'
import { encodeBitstring } from './encodeBitstring'
import { StatusListError } from './errors'
import { checkDate, checkPositiveInteger, checkSigner, type StatusListSigner, seconds } from './signOptions'
import { isListUrl } from './url'

/** The VC 2.0 base context. */
export const CREDENTIALS_V2_CONTEXT = 'https://www.w3.org/ns/credentials/v2'

/** Options of {@link signBitstringStatusListCredential}. */
export interface SignBitstringStatusListCredentialOptions extends StatusListSigner {
  /** The credential's own URL (`id`, `jti`); entries reference it in `statusListCredential`. */
  url: string
  purpose: StatusPurpose
  list: Bitstring
  /** Start of validity (`nbf`); default now. */
  validFrom?: Date
  /** End of validity (`exp`); omitted when not given. */
  validUntil?: Date
  /** How long verifiers may cache the list, in milliseconds (`credentialSubject.ttl`, as the W3C spec has it). */
  ttlMs: number
}

function isoSeconds(date: Date): string {
  return new Date(seconds(date) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * A `BitstringStatusListCredential` as a JWT-VC (VC-JWT claims `iss`, `jti`, `nbf`, `exp`, `iat`
 * around a `vc` claim in the VC 2.0 data model). See docs/decisions/0007-status-lists.md.
 *
 * @example
 * const jwt = await signBitstringStatusListCredential({
 *   issuer: 'did:ethr:0x…', kid: 'did:ethr:0x…#controller', alg: 'ES256K', signer,
 *   url: 'https://agent.example/status/1', purpose: 'revocation', list, ttlMs: 300_000,
 * })
 */
export async function signBitstringStatusListCredential(
  options: SignBitstringStatusListCredentialOptions,
): Promise<string> {
  checkSigner(options)
  if (!isListUrl(options.url))
    throw new StatusListError('invalid_options', 'url must be an http(s) URL without fragment.')
  if (!isStatusPurpose(options.purpose)) {
    throw new StatusListError('invalid_options', "purpose must be 'revocation' or 'suspension'.")
  }
  if (!(options.list instanceof Bitstring))
    throw new StatusListError('invalid_options', 'list must be a Bitstring.')
  checkPositiveInteger('ttlMs', options.ttlMs)
  const now = new Date()
  const validFrom = options.validFrom ?? now
  checkDate('validFrom', validFrom)
  if (options.validUntil !== undefined) {
    checkDate('validUntil', options.validUntil)
    if (seconds(options.validUntil) <= seconds(validFrom)) {
      throw new StatusListError('invalid_options', 'validUntil must be after validFrom.')
    }
  }
  const vc = {
    '@context': [CREDENTIALS_V2_CONTEXT],
    id: options.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: options.issuer,
    validFrom: isoSeconds(validFrom),
    ...(options.validUntil ? { validUntil: isoSeconds(options.validUntil) } : {}),
    credentialSubject: {
      id: `${options.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: options.purpose,
      encodedList: encodeBitstring(options.list),
      ttl: options.ttlMs,
    },
  }
  return signJwt({
    header: { alg: options.alg, typ: 'JWT', kid: options.kid },
    payload: {
      iss: options.issuer,
      jti: options.url,
      nbf: seconds(validFrom),
      ...(options.validUntil ? { exp: seconds(options.validUntil) } : {}),
      iat: seconds(now),
      vc,
    },
    signer: options.signer,
  })
}
