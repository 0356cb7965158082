import { createHash, randomUUID } from 'node:crypto'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { beforeAll, describe, expect, it } from 'vitest'
import { issue, sdIdentityBody } from './api'
import { patientClaims, useTestAgent } from './harness'
import { agentCalls, decodeJwt, type HolderKey, holderKey, type Json } from './holders'

// An SD-JWT VC made by an implementation we did not write (@sd-jwt/sd-jwt-vc), signed with the demo
// hospital's key, carrying claims the SD-JWT VC draft registers (vct#integrity, aka_vcts): the
// agent's verifier understands or ignores them and checks only the credential type's own claims
// against its schema (docs/decisions/0023).

const INTEGRITY = 'sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8='

const t = useTestAgent()

describe('SD-JWT VCs issued by @sd-jwt/sd-jwt-vc', () => {
  let api: ReturnType<typeof agentCalls>
  const patient: HolderKey = holderKey()
  /** The visible claims of an SD-JWT VC the agent issued (its status entry is live). */
  let issued: Json

  beforeAll(async () => {
    api = agentCalls(t)
    const { jwt } = await issue(t, t.hospital, sdIdentityBody(patient))
    issued = decodeJwt(jwt.split('~')[0]!).payload
  })

  /** Issues with the foreign library (the hospital's key signs), presents it and verifies it at the hospital. */
  async function verifyForeign(extra: Json, options: { disclosable?: string[]; disclose?: string[] } = {}) {
    const { signer, kid } = await t.agent.ctx.signingKeys.signerFor(t.hospital.did)
    const claims = patientClaims()
    const foreign = new SDJwtVcInstance({
      hasher: (data, alg) => {
        expect(alg).toBe('sha-256')
        return new Uint8Array(
          createHash('sha256')
            .update(typeof data === 'string' ? data : Buffer.from(data))
            .digest(),
        )
      },
      hashAlg: 'sha-256',
      saltGenerator: () => randomUUID(),
      signer,
      signAlg: 'ES256K',
      kbSigner: patient.signer,
      kbSignAlg: 'ES256K',
    })
    const payload = {
      iss: t.hospital.did,
      sub: patient.did,
      vct: issued.vct,
      iat: issued.iat,
      nbf: issued.nbf,
      exp: issued.exp,
      jti: `urn:uuid:${randomUUID()}`,
      cnf: issued.cnf,
      status: issued.status,
      ...claims,
      ...extra,
    }
    const disclosable = options.disclosable ?? Object.keys(claims)
    // The library's payload generics do not fit a payload built at run time; its issue takes any JSON object.
    const issueAny = foreign.issue.bind(foreign) as unknown as (
      payload: Json,
      frame: { _sd: string[] },
      options: { header: Json },
    ) => Promise<string>
    const credential = await issueAny(payload, { _sd: disclosable }, { header: { kid } })
    const request = await api.presentationRequest()
    const presentation = await foreign.present(
      credential,
      Object.fromEntries((options.disclose ?? ['name', 'birthDate']).map((name) => [name, true])),
      {
        kb: {
          payload: { iat: Math.floor(Date.now() / 1000), aud: request.audience, nonce: request.nonce },
        },
      },
    )
    return api.verifyPresentation(presentation, request)
  }

  it('accepts one carrying vct#integrity and aka_vcts, and shows what was disclosed', async () => {
    const result = await verifyForeign({ 'vct#integrity': INTEGRITY, aka_vcts: ['urn:example:vct:identity'] })
    expect(result.valid, JSON.stringify(result.credentials?.[0]?.checks)).toBe(true)
    expect(result.credentials[0]).toMatchObject({
      valid: true,
      issuer: t.hospital.did,
      type: 'PatientIdentityCredential',
    })
    expect(result.disclosed).toMatchObject({
      'vct#integrity': INTEGRITY,
      birthDate: patientClaims().birthDate,
    })
    expect(result.disclosed).not.toHaveProperty('identifier')
  })

  it('refuses a claim that is neither registered nor the type’s, visible or disclosed (schema_invalid)', async () => {
    const visible = await verifyForeign({ 'vct#integrity': INTEGRITY, x_ward: '3B' })
    const disclosed = await verifyForeign(
      { x_ward: '3B' },
      { disclosable: [...Object.keys(patientClaims()), 'x_ward'], disclose: ['x_ward'] },
    )
    const withheld = await verifyForeign(
      { x_ward: '3B' },
      { disclosable: [...Object.keys(patientClaims()), 'x_ward'] },
    )
    expect(withheld.valid).toBe(true) // what the holder withholds, no verifier can judge
    for (const result of [visible, disclosed]) {
      expect(result.valid).toBe(false)
      expect(result.credentials[0].checks.schema).toMatchObject({
        passed: false,
        code: 'schema_invalid',
        reason:
          'Claim "x_ward" is neither a claim of PatientIdentityCredential nor a registered SD-JWT VC claim.',
      })
    }
  })

  it('refuses an audience-restricted credential (aud)', async () => {
    const result = await verifyForeign({ aud: t.hospital.did })
    expect(result.valid).toBe(false)
    expect(result.credentials[0].checks.schema).toMatchObject({ passed: false, code: 'schema_invalid' })
  })
})
