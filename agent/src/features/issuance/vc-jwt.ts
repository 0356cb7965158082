import {
  type BuildCredentialOptions,
  buildCredentialV2,
  CredentialClaimsError,
  type CredentialType,
} from '@clavis/credentials'
import { signJwt } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import type { DidSigner } from '../../keys/signing-keys'

/** Fields a builder names that are fields of the issue request itself, not claims. */
const REQUEST_FIELDS = ['validFrom', 'validUntil', 'issuer', 'subject', 'id']

/**
 * Runs a credential builder; a `CredentialClaimsError` becomes the API's `invalid_claims` with the
 * request's paths (`claims.…` for claims).
 *
 * @example
 * const unsigned = buildOrRefuse(() => buildCredential(options))
 */
export function buildOrRefuse<T>(build: () => T): T {
  try {
    return build()
  } catch (e) {
    if (!(e instanceof CredentialClaimsError)) throw e
    throw new ClavisError({
      code: 'invalid_claims',
      message: `Bad field "${e.issues[0]?.path}": ${e.issues[0]?.message}`,
      issues: e.issues.map((i) => ({
        ...i,
        path: REQUEST_FIELDS.includes(i.path) ? i.path : `claims.${i.path}`,
      })),
    })
  }
}

/**
 * Issues a VC Data Model 2.0 credential secured with VC-JOSE-COSE: header `{ alg, typ: 'vc+jwt',
 * kid }`, the JWT Claims Set is the credential (no `vc` claim), plus `iat`, the time of the
 * signature (VC-JOSE-COSE, "JOSE Header Parameters and JWT Claims"). See ADR 0022.
 *
 * @example
 * const jwt = await signVcJwt({ signer, credential: { type, issuer, subject, claims, validFrom, credentialStatus } })
 */
export async function signVcJwt(options: {
  signer: DidSigner
  credential: BuildCredentialOptions<CredentialType>
}): Promise<string> {
  const { signer } = options
  const credential = buildOrRefuse(() => buildCredentialV2(options.credential))
  return signJwt({
    header: { alg: signer.alg, typ: 'vc+jwt', kid: signer.kid },
    payload: { ...credential, iat: Math.floor(Date.now() / 1000) },
    signer: signer.signer,
  })
}
