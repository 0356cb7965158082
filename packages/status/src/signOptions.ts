import { isAllowedJwsAlgorithm, type JwsAlgorithm, type Signer } from '@clavis/crypto'
import { StatusListError } from './errors'

/** Who signs a status list: the issuer's DID, the key id in its DID document, the algorithm and a signer. */
export interface StatusListSigner {
  /** The issuer DID; it must be the DID whose key `kid` names. */
  issuer: string
  /** The verification method id (`did:…#key`) a verifier uses to find the public key. */
  kid: string
  alg: JwsAlgorithm
  signer: Signer
}

/** Checks the signer options shared by both signing functions; throws `invalid_options`. */
export function checkSigner(options: StatusListSigner): void {
  if (typeof options.issuer !== 'string' || !/^did:[a-z0-9]+:\S+$/.test(options.issuer)) {
    throw new StatusListError('invalid_options', 'issuer must be a DID.')
  }
  if (typeof options.kid !== 'string' || options.kid.length === 0 || options.kid.length > 512) {
    throw new StatusListError('invalid_options', 'kid must be a non-empty string.')
  }
  if (!isAllowedJwsAlgorithm(options.alg)) {
    throw new StatusListError('unsupported_algorithm', 'alg must be ES256K or ES256.')
  }
  if (typeof options.signer !== 'function')
    throw new StatusListError('invalid_options', 'signer must be a function.')
}

/** Checks that `value` is a positive integer; throws `invalid_options` naming `name`. */
export function checkPositiveInteger(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new StatusListError('invalid_options', `${name} must be a positive integer.`)
  }
}

/** Whole seconds since the epoch of a date. */
export function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

/** Checks that `value` is a valid Date; throws `invalid_options` naming `name`. */
export function checkDate(name: string, value: unknown): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new StatusListError('invalid_options', `${name} must be a valid Date.`)
  }
}
