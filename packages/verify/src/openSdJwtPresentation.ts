import { ok } from '@clavis/crypto'
import { checkKeyBinding, decodeKeyBinding } from '@clavis/sd-jwt'
import type { Resolvable } from 'did-resolver'
import type { PresentationParts, Presenter, RequestClaims } from './presentationParts'
import { notChecked } from './reportChecks'
import type { StatusChecker } from './statusChecker'
import type { TrustPolicy } from './trustListPolicy'
import type { CheckOutcome } from './types'
import { verifySdJwtCredential } from './verifySdJwtCredential'

/**
 * SD-JWT VC with key binding: verifies the credential (see `verifySdJwtCredential`) and the KB-JWT
 * — signed by `cnf.jwk`, over this presentation (`sd_hash`) — and hands the parts to the
 * format-neutral checks. The KB-JWT is the presentation's signature and its binding: the presenter
 * is whoever holds `cnf.jwk`, and when it fails both report why. The holder key is trusted only
 * from an intact credential; otherwise both are `not_checked`. The request claims are the KB-JWT's
 * (`iat` required, no `exp`). Never throws for bad input.
 *
 * @example
 * const parts = await openSdJwtPresentation({ presentation, resolver, trust, status, now, skew })
 */
export async function openSdJwtPresentation(options: {
  presentation: unknown
  resolver: Resolvable
  trust: TrustPolicy
  status: StatusChecker
  now: Date
  skew: number
}): Promise<PresentationParts> {
  const { credential, decoded, intact, disclosed } = await verifySdJwtCredential(options)
  const common = {
    format: 'dc+sd-jwt' as const,
    namedHolders: {},
    requireExpiry: false,
    credentials: [credential],
  }
  if (!decoded) {
    const skipped = notChecked('Not checked: the credential could not be decoded (see its signature check).')
    return { ...common, signature: skipped, presenter: skipped, request: skipped }
  }
  const kb = decodeKeyBinding(decoded)
  const proof = kb.ok ? checkKeyBinding({ credential: decoded, keyBinding: kb.value }) : kb
  let presenter: CheckOutcome<Presenter>
  if (!intact) {
    presenter = notChecked(
      "Not checked: the holder's key (cnf) comes from the credential, whose signature or disclosures did not verify (see its signature check).",
    )
  } else presenter = proof.ok ? ok({ jwk: proof.value.holderJwk }) : proof
  const { payload } = decoded
  return {
    ...common,
    ...(typeof payload.sub === 'string' ? { holder: payload.sub } : {}),
    signature: presenter.ok ? ok() : presenter,
    presenter,
    request: kb.ok
      ? ok(requestClaims(kb.value.payload))
      : notChecked(`Not checked: no nonce or audience can be read (${kb.error.reason}; see signature).`),
    disclosed,
  }
}

const requestClaims = ({ aud, nonce, iat, nbf, exp }: Record<string, unknown>): RequestClaims => ({
  aud,
  nonce,
  iat,
  nbf,
  exp,
})
