import { isAllowedJwsAlgorithm, type JwsAlgorithm, type Signer } from '@clavis/crypto'
import { type DisclosureFrame, SDJWTException, SDJwtInstance } from '@sd-jwt/core'
import { NEVER_DISCLOSABLE } from './disclosable'
import { SdJwtError } from './errors'
import { SD_ALG, saltGenerator, sdHasher } from './hashing'
import { SD_JWT_VC_TYP } from './vct'

/**
 * Which claims are selectively disclosable: `_sd` lists names (objects) or indexes (arrays) at that
 * level, `_sd_decoy` adds decoy digests, other keys describe nested claims (`@sd-jwt/core` format).
 */
export interface RawDisclosureFrame {
  _sd?: readonly (string | number)[]
  _sd_decoy?: number
  [claim: string]: RawDisclosureFrame | readonly (string | number)[] | number | undefined
}

/** Options of {@link issueRawSdJwt}. */
export interface IssueRawSdJwtOptions {
  /** The complete payload (`iss`, `cnf`, … included); nothing is added but `_sd` and `_sd_alg`. */
  payload: Record<string, unknown>
  /** `@sd-jwt/core` disclosure frame: `{ _sd: ['name'], address: { _sd: ['city'] }, list: { _sd: [0] } }`. */
  disclosureFrame: RawDisclosureFrame
  alg: JwsAlgorithm
  signer: Signer
  /** DID URL of the signing key, put in the header. */
  kid?: string
  /** Top-level names the frame may not make disclosable, whole or in part; default {@link NEVER_DISCLOSABLE}. */
  refuseDisclosable?: readonly string[]
}

/**
 * Issues an SD-JWT (header `{ alg, typ: 'dc+sd-jwt', kid }`, `_sd_alg: 'sha-256'`) from any
 * payload and disclosure frame, without credential schemas. For interop and test vectors; apps
 * issue with {@link issueSdJwtVc}. Throws {@link SdJwtError} (`unsupported_algorithm`,
 * `not_disclosable`, `invalid_claims` for reserved names such as `_sd` in the payload).
 *
 * @example
 * const sdJwt = await issueRawSdJwt({
 *   payload: { iss, cnf: { jwk }, given_name: 'Ada' },
 *   disclosureFrame: { _sd: ['given_name'] },
 *   alg: 'ES256K', signer, kid: `${iss}#controller`,
 * })
 */
export async function issueRawSdJwt(options: IssueRawSdJwtOptions): Promise<string> {
  const { payload, disclosureFrame, alg, signer, kid } = options
  if (!isAllowedJwsAlgorithm(alg)) throw new SdJwtError('unsupported_algorithm', 'Sign with ES256K or ES256.')
  const refused = options.refuseDisclosable ?? NEVER_DISCLOSABLE
  const topLevel = Array.isArray(disclosureFrame._sd) ? disclosureFrame._sd.map(String) : []
  // A frame under a refused name would make part of it disclosable (sub-claims stay visible too).
  const nested = Object.keys(disclosureFrame).filter((name) => name !== '_sd' && name !== '_sd_decoy')
  const bad = [...topLevel, ...nested].filter((name) => refused.includes(name))
  if (bad.length > 0)
    throw new SdJwtError(
      'not_disclosable',
      `Claims ${bad.map((n) => `"${n}"`).join(', ')} must stay visible; remove them from the disclosable names.`,
    )
  const instance = new SDJwtInstance({
    hasher: sdHasher,
    hashAlg: SD_ALG,
    saltGenerator,
    signer,
    signAlg: alg,
  })
  const header = kid === undefined ? { typ: SD_JWT_VC_TYP } : { typ: SD_JWT_VC_TYP, kid }
  try {
    return await instance.issue(payload, disclosureFrame as DisclosureFrame<Record<string, unknown>>, {
      header,
    })
  } catch (error) {
    if (error instanceof SDJWTException)
      throw new SdJwtError('invalid_claims', `Cannot issue: ${error.message}`, { cause: error })
    throw error
  }
}
