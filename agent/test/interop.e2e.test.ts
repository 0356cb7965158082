import { createHash, createPublicKey, type KeyObject, verify as verifyEcdsa } from 'node:crypto'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { verifyCredential } from 'did-jwt-vc'
import { type DIDDocument, Resolver, type ResolverRegistry } from 'did-resolver'
import { getResolver } from 'ethr-did-resolver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inDays, licenceClaims, patientClaims, startTestAgent, type TestAgent } from './harness'
import { holderKey, tamperSignature } from './holders'

// Verifiers we did not write, used standalone against what the agent issues: did-jwt-vc with
// ethr-did-resolver for JWT-VCs, and @sd-jwt/sd-jwt-vc (with node:crypto for ES256K and SHA-256,
// and the agent's real HTTP server for the status list) for SD-JWT VCs.

/** SPKI DER prefix of a compressed secp256k1 public key (id-ecPublicKey, secp256k1, 33-byte point). */
const SECP256K1_SPKI_PREFIX = Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex')

function keyFromHex(publicKeyHex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SECP256K1_SPKI_PREFIX, Buffer.from(publicKeyHex, 'hex')]),
    format: 'der',
    type: 'spki',
  })
}

function verifyEs256k(key: KeyObject, data: string, signature: string): boolean {
  return verifyEcdsa(
    'sha256',
    Buffer.from(data),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  )
}

describe('independent verifiers accept what the agent issues', () => {
  let t: TestAgent
  let resolver: Resolver
  const clinician = holderKey()
  const patient = holderKey()

  beforeAll(async () => {
    t = await startTestAgent()
    // The RPC endpoint is the operator's to know (an independent verifier is configured with it).
    const health = await t.request('GET', '/v1/health', { token: t.admin })
    expect(health.status).toBe(200)
    const { rpcOrigin: rpcUrl, registry } = health.body.chain
    // ethr-did-resolver is typed against another did-resolver major; the registry shape is the same.
    const ethr = getResolver({ networks: [{ chainId: 31337, registry, rpcUrl }] })
    resolver = new Resolver(ethr as unknown as ResolverRegistry)
  })
  afterAll(async () => {
    await t?.stop()
  })

  describe('did-jwt-vc + ethr-did-resolver', () => {
    let jwt: string

    beforeAll(async () => {
      const res = await t.request('POST', `/v1/organisations/${t.board.id}/credentials`, {
        token: t.board.token,
        body: {
          type: 'ClinicianLicenseCredential',
          subject: clinician.did,
          claims: licenceClaims(),
          validUntil: inDays(365),
        },
      })
      expect(res.status).toBe(201)
      jwt = res.body.jwt
    })

    it('verifies a licence the agent issued', async () => {
      const verified = await verifyCredential(jwt, resolver)
      expect(verified.verified).toBe(true)
      expect(verified.issuer).toBe(t.board.did)
      expect(verified.payload.sub).toBe(clinician.did)
      expect(verified.verifiableCredential.credentialSubject.licenseNumber).toBe(
        licenceClaims().licenseNumber,
      )
    })

    it('refuses the licence with an altered signature', async () => {
      // did-jwt recovers the signer first, so the error names the bad point rather than the signature.
      await expect(verifyCredential(tamperSignature(jwt), resolver)).rejects.toThrow()
    })

    it('refuses the licence with an altered payload', async () => {
      const [h, p, s] = jwt.split('.') as [string, string, string]
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString())
      payload.vc.credentialSubject.licenseNumber = 'Z-999999'
      const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`
      await expect(verifyCredential(forged, resolver)).rejects.toThrow(/signature/i)
    })
  })

  describe('@sd-jwt/sd-jwt-vc', () => {
    let issued: { id: string; jwt: string }
    let issuerKey: KeyObject
    const fetched: string[] = []

    const verifier = () =>
      new SDJwtVcInstance({
        hasher: (data, alg) => {
          expect(alg).toBe('sha-256')
          return new Uint8Array(
            createHash('sha256')
              .update(typeof data === 'string' ? data : Buffer.from(data))
              .digest(),
          )
        },
        verifier: (data, signature) => verifyEs256k(issuerKey, data, signature),
        statusVerifier: (data, signature) => verifyEs256k(issuerKey, data, signature),
        kbVerifier: (data, signature, payload) => {
          const jwk = (payload.cnf as { jwk: Record<string, string> }).jwk
          return verifyEs256k(createPublicKey({ key: jwk, format: 'jwk' }), data, signature)
        },
        // The credential names the list under the agent's public URL; tests reach it at t.url.
        statusListFetcher: async (uri) => {
          expect(uri.startsWith(`${t.agent.ctx.publicUrl}/v1/status-lists/`)).toBe(true)
          const res = await fetch(`${t.url}${new URL(uri).pathname}`)
          expect(res.status).toBe(200)
          expect(res.headers.get('content-type')).toContain('application/statuslist+jwt')
          fetched.push(uri)
          return res.text()
        },
        statusValidator: async (status) => {
          if (status !== 0) throw new Error(`Status is not valid: ${status}`)
        },
      })
    const present = async () => {
      const { nonce, audience } = (
        await t.request('POST', `/v1/organisations/${t.hospital.id}/presentation-requests`, {
          token: t.hospital.token,
          body: {},
        })
      ).body
      const presentation = await presentSdJwtVc({
        credential: issued.jwt,
        disclose: ['name', 'birthDate'],
        keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience },
      })
      return { presentation, nonce }
    }

    beforeAll(async () => {
      const res = await t.request('POST', `/v1/organisations/${t.hospital.id}/credentials`, {
        token: t.hospital.token,
        body: {
          type: 'PatientIdentityCredential',
          format: 'dc+sd-jwt',
          subject: patient.did,
          holderJwk: patient.jwk,
          claims: patientClaims(),
          validUntil: inDays(365),
        },
      })
      expect(res.status).toBe(201)
      issued = res.body
      // The issuer key is the one the credential's kid names in the hospital's DID document, as the
      // independent resolver sees it (a public key: no recovery).
      const { kid } = JSON.parse(Buffer.from(issued.jwt.split('.')[0]!, 'base64url').toString())
      const { didDocument } = await resolver.resolve(t.hospital.did)
      const methods = (didDocument as DIDDocument).verificationMethod ?? []
      const withKey = methods.find((m) => m.id === kid && typeof m.publicKeyHex === 'string')
      expect(withKey, 'the kid names a public key of the hospital DID document').toBeDefined()
      issuerKey = keyFromHex(withKey!.publicKeyHex!)
    })

    it('verifies a presentation, its key binding and its status list', async () => {
      const { presentation, nonce } = await present()
      const result = await verifier().verify(presentation, { keyBindingNonce: nonce })
      expect(result.payload.iss).toBe(t.hospital.did)
      expect(result.payload.vct).toBe('urn:clavis:vct:PatientIdentityCredential:1')
      expect(result.kb?.payload.nonce).toBe(nonce)
      expect(fetched).toHaveLength(1)
      const claims = (await verifier().getClaims(presentation)) as Record<string, unknown>
      expect(claims.birthDate).toBe(patientClaims().birthDate)
      expect(claims.identifier).toBeUndefined()
    })

    it('refuses an altered issuer signature', async () => {
      const { presentation, nonce } = await present()
      const [jwt, ...rest] = presentation.split('~')
      await expect(
        verifier().verify([tamperSignature(jwt!), ...rest].join('~'), { keyBindingNonce: nonce }),
      ).rejects.toThrow()
    })

    it('refuses the presentation once the hospital revoked the credential', async () => {
      const revoke = await t.request(
        'POST',
        `/v1/organisations/${t.hospital.id}/credentials/${issued.id}/status`,
        { token: t.hospital.token, body: { action: 'revoke' } },
      )
      expect(revoke.status).toBe(200)
      const { presentation, nonce } = await present()
      await expect(verifier().verify(presentation, { keyBindingNonce: nonce })).rejects.toThrow(
        /Status is not valid: 1/,
      )
    })
  })
})
