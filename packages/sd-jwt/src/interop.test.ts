// Cross-check with the reference implementation: @sd-jwt/sd-jwt-vc's own verifier must accept what
// we issue and present (it is only used here, not in src, see docs/decisions/0008-sd-jwt-vc.md).
import { jwkToPublicKey, verifySignature } from '@clavis/crypto'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { describe, expect, it } from 'vitest'
import { DAY_MS, examples, keyPair } from '../test/helpers'
import { sdHasher } from './hashing'
import { issueSdJwtVc } from './issue'
import { presentSdJwtVc } from './present'

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
