import { base64urlJson, parseBase64urlJson } from '@clavis/crypto'
import { createVerifiableCredentialJwt } from 'did-jwt-vc'
import type { Resolvable } from 'did-resolver'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  deactivated,
  ethrDocument,
  makeIdentity,
  memoryResolver,
  resolved,
  type TestIdentity,
} from '../test/kits/identities'
import { checkSignature } from './checkSignature'
import { decodeJwtCredential } from './decodeJwtCredential'

let issuer: TestIdentity
let stranger: TestIdentity
let jwt: string

const check = (token: string, resolver: Resolvable, purpose?: 'authentication') => {
  const decoded = decodeJwtCredential({ jwt: token })
  if (!decoded.ok) throw new Error(decoded.error.reason)
  const { header, signer, signingInput, signature } = decoded.value
  return checkSignature({
    signer,
    alg: header.alg,
    kid: header.kid,
    signingInput,
    signature,
    resolver,
    ...(purpose ? { purpose } : {}),
  })
}

beforeAll(async () => {
  issuer = makeIdentity()
  stranger = makeIdentity()
  jwt = await createVerifiableCredentialJwt(
    {
      sub: stranger.did,
      nbf: 1_900_000_000,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
        credentialSubject: { licenceNumber: 'X' },
      },
    },
    { did: issuer.did, signer: issuer.signer, alg: 'ES256K' },
  )
})

describe('checkSignature', () => {
  it('passes against the EcdsaSecp256k1RecoveryMethod2020 controller and names it', async () => {
    const resolver = memoryResolver({ [issuer.did]: resolved(ethrDocument(issuer)) })
    expect(await check(jwt, resolver)).toEqual({ ok: true, value: { kid: `${issuer.did}#controller` } })
  })

  it('passes against an EcdsaSecp256k1VerificationKey2019 publicKeyHex key', async () => {
    const document = ethrDocument(issuer, { withControllerKey: true })
    document.verificationMethod = document.verificationMethod?.slice(1)
    document.assertionMethod = [`${issuer.did}#controllerKey`]
    const resolver = memoryResolver({ [issuer.did]: resolved(document) })
    expect(await check(jwt, resolver)).toEqual({ ok: true, value: { kid: `${issuer.did}#controllerKey` } })
  })

  it('fails with invalid_signature when the payload was altered', async () => {
    const [header, payload, signature] = jwt.split('.')
    const claims = parseBase64urlJson(payload!) as { vc: { credentialSubject: Record<string, unknown> } }
    claims.vc.credentialSubject.licenceNumber = 'Y'
    const altered = base64urlJson(claims)
    const resolver = memoryResolver({
      [issuer.did]: resolved(ethrDocument(issuer, { withControllerKey: true })),
    })
    expect(await check(`${header}.${altered}.${signature}`, resolver)).toMatchObject({
      ok: false,
      error: { code: 'invalid_signature' },
    })
  })

  it('fails with invalid_signature when another key signed for the issuer DID', async () => {
    const forged = await createVerifiableCredentialJwt(
      {
        sub: stranger.did,
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential'],
          credentialSubject: { a: 1 },
        },
      },
      { did: issuer.did, signer: stranger.signer, alg: 'ES256K' },
    )
    const resolver = memoryResolver({
      [issuer.did]: resolved(ethrDocument(issuer, { withControllerKey: true })),
    })
    const result = await check(forged, resolver)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_signature' } })
    expect(!result.ok && result.error.reason).toContain(issuer.did)
  })

  it('fails with no_matching_key when the document has no assertion key for the algorithm', async () => {
    const empty = resolved({ id: issuer.did, verificationMethod: [], assertionMethod: [] })
    expect(await check(jwt, memoryResolver({ [issuer.did]: empty }))).toMatchObject({
      ok: false,
      error: { code: 'no_matching_key' },
    })

    const authenticationOnly = ethrDocument(issuer)
    authenticationOnly.assertionMethod = []
    expect(await check(jwt, memoryResolver({ [issuer.did]: resolved(authenticationOnly) }))).toMatchObject({
      ok: false,
      error: { code: 'no_matching_key' },
    })
  })

  it('counts only the keys of the purpose asked for (authentication for a holder)', async () => {
    const authenticationOnly = ethrDocument(issuer)
    authenticationOnly.assertionMethod = []
    const resolver = memoryResolver({ [issuer.did]: resolved(authenticationOnly) })
    expect(await check(jwt, resolver, 'authentication')).toEqual({
      ok: true,
      value: { kid: `${issuer.did}#controller` },
    })
  })

  it('fails with did_deactivated for a deactivated DID', async () => {
    const result = await check(jwt, memoryResolver({ [issuer.did]: deactivated(issuer.did) }))
    expect(result).toMatchObject({ ok: false, error: { code: 'did_deactivated' } })
  })

  it('fails with did_deactivated even if the deactivated document still lists the key', async () => {
    const stale = resolved(ethrDocument(issuer), { deactivated: true })
    expect(await check(jwt, memoryResolver({ [issuer.did]: stale }))).toMatchObject({
      ok: false,
      error: { code: 'did_deactivated' },
    })
  })

  it('fails with did_not_resolved for an unknown DID, naming the resolver error', async () => {
    const result = await check(jwt, memoryResolver({}))
    expect(result).toMatchObject({ ok: false, error: { code: 'did_not_resolved' } })
    expect(!result.ok && result.error.reason).toContain('notFound')
  })

  it('fails with did_not_resolved when the resolver throws or returns nonsense', async () => {
    const throwing: Resolvable = {
      resolve: async () => {
        throw new Error('connection refused')
      },
    }
    expect(await check(jwt, throwing)).toMatchObject({ ok: false, error: { code: 'did_not_resolved' } })
    const nonsense = { resolve: async () => null } as unknown as Resolvable
    expect(await check(jwt, nonsense)).toMatchObject({ ok: false, error: { code: 'did_not_resolved' } })
  })

  it('fails with did_not_resolved when the resolver returns the document of another DID', async () => {
    const resolver: Resolvable = { resolve: async () => resolved(ethrDocument(stranger)) }
    expect(await check(jwt, resolver)).toMatchObject({ ok: false, error: { code: 'did_not_resolved' } })
  })

  it('resolves the issuer only once', async () => {
    let calls = 0
    const inner = memoryResolver({ [issuer.did]: resolved(ethrDocument(issuer)) })
    const counting: Resolvable = {
      resolve: (did, options) => {
        calls++
        return inner.resolve(did, options)
      },
    }
    expect(await check(jwt, counting)).toMatchObject({ ok: true })
    expect(calls).toBe(1)
  })
})
