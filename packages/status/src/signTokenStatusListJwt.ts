import { signJwt } from '@clavis/crypto'
import { encodeTokenStatusList } from './encodeTokenStatusList'
import { StatusListError } from './errors'
import { checkDate, checkPositiveInteger, checkSigner, type StatusListSigner, seconds } from './signOptions'
import { TokenStatusList } from './tokenStatusList'
import { isListUrl } from './url'

/** Options of {@link signTokenStatusListJwt}. */
export interface SignTokenStatusListJwtOptions extends StatusListSigner {
  /** The list's own URL (`sub`); tokens reference it in `status.status_list.uri`. */
  uri: string
  list: TokenStatusList
  /** Issue time; default now. */
  iat?: Date
  /** How long verifiers may cache the list, in seconds (`ttl`). */
  ttlSeconds: number
  /** When the list token expires (`exp = iat + expiresInSeconds`); omitted when not given. */
  expiresInSeconds?: number
}

/**
 * A Status List Token in JWT form (`typ: statuslist+jwt`) for an IETF Token Status List.
 *
 * @example
 * const jwt = await signTokenStatusListJwt({
 *   issuer: 'did:ethr:0x…', kid: 'did:ethr:0x…#controller', alg: 'ES256K', signer,
 *   uri: 'https://agent.example/status/2', list, ttlSeconds: 300, expiresInSeconds: 86400,
 * })
 */
export async function signTokenStatusListJwt(options: SignTokenStatusListJwtOptions): Promise<string> {
  checkSigner(options)
  if (!isListUrl(options.uri))
    throw new StatusListError('invalid_options', 'uri must be an http(s) URL without fragment.')
  if (!(options.list instanceof TokenStatusList)) {
    throw new StatusListError('invalid_options', 'list must be a TokenStatusList.')
  }
  checkPositiveInteger('ttlSeconds', options.ttlSeconds)
  if (options.expiresInSeconds !== undefined)
    checkPositiveInteger('expiresInSeconds', options.expiresInSeconds)
  const issuedAt = options.iat ?? new Date()
  checkDate('iat', issuedAt)
  const iat = seconds(issuedAt)
  return signJwt({
    header: { alg: options.alg, typ: 'statuslist+jwt', kid: options.kid },
    payload: {
      iss: options.issuer,
      sub: options.uri,
      iat,
      ...(options.expiresInSeconds === undefined ? {} : { exp: iat + options.expiresInSeconds }),
      ttl: options.ttlSeconds,
      status_list: encodeTokenStatusList(options.list),
    },
    signer: options.signer,
  })
}
