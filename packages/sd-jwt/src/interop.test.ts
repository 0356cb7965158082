// Cross-check with the reference implementation: @sd-jwt/sd-jwt-vc's own verifier must accept what
// we issue and present (it is only used here, not in src, see docs/decisions/0008-sd-jwt-vc.md).
import { checkClaims } from '@clavis/credentials'
import { jwkToPublicKey, verifySignature } from '@clavis/crypto'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { describe, expect, it } from 'vitest'
import { checkPresentation, DAY_MS, examples, keyPair } from '../test/helpers'
import { saltGenerator, sdHasher } from './hashing'
import { issueSdJwtVc } from './issue'
import { presentSdJwtVc } from './present'
import { splitRegisteredClaims } from './registered-claims'
import { vctFor } from './vct'

describe('interop with @sd-jwt/sd-jwt-vc', () => {
  it('its verifier accepts our presentation, key binding included', async () => {
    const issuer = keyPair('ES256K')
    const holder = keyPair('ES256')
    const { issuer: iss, subject, claims } = examples.PatientIdentityCredential
    const credential = await issueSdJwtVc({
      type: 'PatientIdentityCredential',
      issuer: iss,
      kid: `${iss}#controller`,
      alg: 'ES256K',
      signer: issuer.signer,
      subject,
      claims,
      holderJwk: holder.jwk,
      validFrom: new Date(),
      validUntil: new Date(Date.now() + DAY_MS),
    })
    const presentation = await presentSdJwtVc({
      credential,
      disclose: ['name', 'address'],
      keyBinding: { alg: 'ES256', signer: holder.signer, nonce: 'n1', audience: 'did:web:v.example' },
    })
    const reference = new SDJwtVcInstance({
      hasher: sdHasher,
      verifier: (data, signature) =>
        verifySignature({ alg: 'ES256K', publicKey: issuer.publicKey, data, signature }),
      kbVerifier: (data, signature, payload) => {
        const key = jwkToPublicKey(payload.cnf?.jwk)
        return !!key && verifySignature({ ...key, data, signature })
      },
    })
    const result = await reference.verify(presentation, {
      keyBindingNonce: 'n1',
      disableStatusVerification: true,
    })
    expect(result.payload.name).toEqual(claims.name)
    expect(result.payload.address).toEqual(claims.address)
    expect(result.payload).not.toHaveProperty('birthDate')
    expect(result.kb?.payload.aud).toBe('did:web:v.example')
  })
})

describe('an SD-JWT VC that @sd-jwt/sd-jwt-vc issued and presented', () => {
  const issuer = keyPair('ES256K')
  const holder = keyPair('ES256')
  const { issuer: iss, subject, claims } = examples.PatientIdentityCredential
  const now = Math.floor(Date.now() / 1000)
  const foreign = new SDJwtVcInstance({
    hasher: sdHasher,
    hashAlg: 'sha-256',
    saltGenerator,
    signer: issuer.signer,
    signAlg: 'ES256K',
    kbSigner: holder.signer,
    kbSignAlg: 'ES256',
  })
  const issue = (extra: Record<string, unknown>) => {
    const payload = {
      iss,
      sub: subject,
      vct: vctFor('PatientIdentityCredential'),
      'vct#integrity': 'sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8=',
      aka_vcts: ['urn:example:identity'],
      iat: now,
      nbf: now,
      exp: now + 3600,
      jti: 'urn:uuid:7d5f3b0c-7a1e-4a55-9a3e-1f3f1c9a0b21',
      cnf: { jwk: holder.jwk },
      status: { status_list: { idx: 12, uri: 'https://i.example/lists/1' } },
      ...claims,
      ...extra,
    }
    return foreign.issue(
      payload,
      { _sd: Object.keys(claims) as (keyof typeof payload)[] },
      { header: { kid: `${iss}#controller` } },
    )
  }
  const present = async (credential: string, disclose: string[] = ['name', 'birthDate']) =>
    checkPresentation(
      await foreign.present(credential, Object.fromEntries(disclose.map((name) => [name, true])), {
        kb: { payload: { iat: now, aud: 'did:web:v.example', nonce: 'n1' } },
      }),
      [issuer],
    )

  it('passes our steps, its registered claims (vct#integrity, aka_vcts) set apart from the schema', async () => {
    const result = await present(await issue({}), Object.keys(claims))
    if (!result.ok) throw new Error(result.error.reason)
    const split = splitRegisteredClaims(result.value.claims)
    if (!split.ok) throw new Error(split.error.reason)
    expect(Object.keys(split.value.registered).sort()).toEqual(
      ['aka_vcts', 'cnf', 'exp', 'iat', 'iss', 'jti', 'nbf', 'status', 'sub', 'vct', 'vct#integrity'].sort(),
    )
    expect(split.value.own).toEqual(claims)
    expect(checkClaims({ type: 'PatientIdentityCredential', claims: split.value.own }).ok).toBe(true)
  })

  it('leaves an unregistered claim to the schema, which refuses it as unknown', async () => {
    const result = await present(await issue({ x_ward: '3B' }))
    if (!result.ok) throw new Error(result.error.reason)
    const split = splitRegisteredClaims(result.value.claims)
    expect(split.ok && split.value.own.x_ward).toBe('3B')
    const checked = split.ok && checkClaims({ type: 'PatientIdentityCredential', claims: split.value.own })
    // Withheld claims are missing (the verifier lets that pass); the unknown one is refused.
    expect(checked && !checked.ok && checked.error.map((i) => `${i.path}: ${i.code}`)).toContain(
      'x_ward: unknown_field',
    )
  })
})
