import { signJwt } from '@clavis/crypto'
import { Bitstring } from './bitstring'
import type { StatusPurpose } from './bitstringStatusEntry'
import { isStatusPurpose } from './bitstringStatusEntry'
import {
  type BitstringListFormat,
  CREDENTIALS_V1_CONTEXT,
  CREDENTIALS_V2_CONTEXT,
  STATUS_LIST_CONTEXT,
} from './contexts'
import { encodeBitstring } from './encodeBitstring'
import { StatusListError } from './errors'
import { checkDate, checkPositiveInteger, checkSigner, type StatusListSigner, seconds } from './signOptions'
import { isListUrl } from './url'

export { CREDENTIALS_V2_CONTEXT } from './contexts'

/** Options of {@link signBitstringStatusListCredential}. */
export interface SignBitstringStatusListCredentialOptions extends StatusListSigner {
  /** How to secure it: as the credentials that reference it are (see {@link BitstringListFormat}). */
  format: BitstringListFormat
  /** The credential's own URL (`id`; `jti` too for `jwt_vc`); entries reference it in `statusListCredential`. */
  url: string
  purpose: StatusPurpose
  list: Bitstring
  /** Start of validity (`issuanceDate` and `nbf`, or `validFrom`); default now. */
  validFrom?: Date
  /** End of validity (`expirationDate` and `exp`, or `validUntil`); omitted when not given. */
  validUntil?: Date
  /** How long verifiers may cache the list, in milliseconds (`credentialSubject.ttl`, as the W3C spec has it). */
  ttlMs: number
}

function isoSeconds(date: Date): string {
  return new Date(seconds(date) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * A `BitstringStatusListCredential` (Bitstring Status List v1.0 §2.2), secured the way the
 * credentials it serves are (§3.6):
 *
 * - `jwt_vc`: a VC 1.1 JWT (VC DM 1.1 §6.3.1): header `typ: JWT`; claims `iss`, `jti`, `nbf`,
 *   `exp`, `iat` and the credential in `vc`, with the 1.1 and status list contexts (§5.2),
 *   `issuanceDate` and `expirationDate`. Served as `application/jwt`.
 * - `vc+jwt`: VC DM 2.0 secured with VC-JOSE-COSE: header `typ: vc+jwt`; the claims set is the
 *   credential (v2 context, `validFrom`, `validUntil`) plus `iat`, when it was signed (VC-JOSE-COSE,
 *   "JOSE Header Parameters and JWT Claims"). Served as `application/vc+jwt`.
 *
 * See docs/decisions/0022-vc-data-model-2.md.
 *
 * @example
 * const jwt = await signBitstringStatusListCredential({
 *   issuer: 'did:ethr:0x…', kid: 'did:ethr:0x…#controller', alg: 'ES256K', signer, format: 'vc+jwt',
 *   url: 'https://agent.example/status/1', purpose: 'revocation', list, ttlMs: 300_000,
 * })
 */
export async function signBitstringStatusListCredential(
  options: SignBitstringStatusListCredentialOptions,
): Promise<string> {
  checkSigner(options)
  if (options.format !== 'jwt_vc' && options.format !== 'vc+jwt')
    throw new StatusListError('invalid_options', "format must be 'jwt_vc' or 'vc+jwt'.")
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
  const { issuer, url, validUntil } = options
  const type = ['VerifiableCredential', 'BitstringStatusListCredential']
  const credentialSubject = {
    id: `${url}#list`,
    type: 'BitstringStatusList',
    statusPurpose: options.purpose,
    encodedList: encodeBitstring(options.list),
    ttl: options.ttlMs,
  }
  if (options.format === 'vc+jwt') {
    return signJwt({
      header: { alg: options.alg, typ: 'vc+jwt', kid: options.kid },
      payload: {
        '@context': [CREDENTIALS_V2_CONTEXT],
        id: url,
        type,
        issuer,
        validFrom: isoSeconds(validFrom),
        ...(validUntil ? { validUntil: isoSeconds(validUntil) } : {}),
        credentialSubject,
        iat: seconds(now),
      },
      signer: options.signer,
    })
  }
  return signJwt({
    header: { alg: options.alg, typ: 'JWT', kid: options.kid },
    payload: {
      iss: issuer,
      jti: url,
      nbf: seconds(validFrom),
      ...(validUntil ? { exp: seconds(validUntil) } : {}),
      iat: seconds(now),
      vc: {
        '@context': [CREDENTIALS_V1_CONTEXT, STATUS_LIST_CONTEXT],
        id: url,
        type,
        issuer,
        issuanceDate: isoSeconds(validFrom),
        ...(validUntil ? { expirationDate: isoSeconds(validUntil) } : {}),
        credentialSubject,
      },
    },
    signer: options.signer,
  })
}
