import { isObject, parseBase64urlJson } from '@clavis/crypto'
import { credentialTypeOfVct } from '@clavis/sd-jwt'
import { type TrustPolicy, verifyJwtCredential, verifySdJwtCredential } from '@clavis/verify'
import type { Resolvable } from 'did-resolver'
import { HolderError } from './errors'
import type { HeldCredential, HeldFormat, HolderKey } from './types'

/** The wallet checks what it receives; whom to trust is decided when the credential is shown. */
const ANY_ISSUER: TrustPolicy = { isTrusted: () => true }

/** The checks a received credential must pass to be kept (trust and status are looked at later). */
const REQUIRED = ['signature', 'signerIsIssuer', 'validityPeriod', 'schema'] as const

/**
 * Checks a credential the wallet received before it keeps it: the issuer's signature (against the
 * issuer DID's current document), that the signer is the issuer, its validity period, its schema,
 * that it is of the expected type, and that it is bound to our key — a JWT-VC's subject is our
 * DID; an SD-JWT VC's `sub` is our DID and its `cnf.jwk` our key. `credential_rejected` says
 * which check failed. What it returns is the credential's content for display.
 *
 * @example
 * const content = await checkReceivedCredential({ credential, format: 'dc+sd-jwt', key, resolver, expectType })
 */
export async function checkReceivedCredential(options: {
  credential: string
  format: HeldFormat
  key: HolderKey
  resolver: Resolvable
  expectType?: string | undefined
  now?: Date
}): Promise<Omit<HeldCredential, 'id' | 'credentialIssuer' | 'issuerName' | 'receivedAt'>> {
  const { credential, format, key, resolver } = options
  const now = options.now ?? new Date()
  const reject = (why: string) =>
    new HolderError('credential_rejected', `The issuer sent a credential the wallet does not keep: ${why}`)
  if (format === 'jwt_vc_json') {
    const result = await verifyJwtCredential({
      jwt: credential,
      format: 'jwt_vc',
      resolver,
      trust: ANY_ISSUER,
      now,
    })
    for (const name of REQUIRED) {
      const check = result.checks[name]
      if (!check.passed) throw reject(`${name}: ${check.reason}`)
    }
    if (result.subject !== key.did)
      throw reject(`it is issued to ${result.subject}, not to this wallet's ${key.did}.`)
    if (options.expectType && result.type !== options.expectType)
      throw reject(
        `it is a ${result.type ?? 'credential of no known type'}, not the ${options.expectType} offered.`,
      )
    const payload = parseBase64urlJson(credential.split('.')[1] ?? '') as {
      vc?: { credentialSubject?: unknown }
    }
    const { id: _subject, ...claims } = (
      isObject(payload?.vc?.credentialSubject) ? payload.vc.credentialSubject : {}
    ) as Record<string, unknown>
    return {
      format,
      credential,
      issuer: result.issuer!,
      type: result.type!,
      subject: key.did,
      claims,
      validFrom: result.validFrom,
      validUntil: result.validUntil,
    }
  }
  const {
    credential: result,
    decoded,
    intact,
    disclosed,
  } = await verifySdJwtCredential({
    presentation: credential,
    resolver,
    trust: ANY_ISSUER,
    status: undefined,
    now,
    skew: 60,
  })
  if (!intact || !decoded)
    throw reject(
      `signature: ${result.checks.signature.passed ? 'disclosures do not verify' : result.checks.signature.reason}`,
    )
  for (const name of REQUIRED) {
    const check = result.checks[name]
    if (!check.passed) throw reject(`${name}: ${check.reason}`)
  }
  const { payload } = decoded
  const cnf = payload.cnf?.jwk
  if (!cnf || cnf.x !== key.jwk.x || cnf.y !== key.jwk.y || cnf.crv !== key.jwk.crv)
    throw reject("it is not bound to this wallet's key (cnf.jwk).")
  if (payload.sub !== undefined && payload.sub !== key.did)
    throw reject(`it is issued to ${String(payload.sub)}, not to this wallet's ${key.did}.`)
  const type = typeof payload.vct === 'string' ? credentialTypeOfVct(payload.vct) : undefined
  if (!type) throw reject(`its vct ${String(payload.vct)} is not a credential type this wallet knows.`)
  if (options.expectType && type !== options.expectType)
    throw reject(`it is a ${type}, not the ${options.expectType} offered.`)
  return {
    format,
    credential,
    issuer: result.issuer!,
    type,
    vct: payload.vct as string,
    subject: key.did,
    claims: disclosed ?? {},
    validFrom: result.validFrom,
    validUntil: result.validUntil,
  }
}
