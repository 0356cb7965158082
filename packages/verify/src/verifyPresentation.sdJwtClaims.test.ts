import { beforeAll, describe, expect, it } from 'vitest'
import { createScenario, failedChecks, NOW, type Scenario, VERIFIER } from '../test/kits/scenario'
import { presentSd, rawLicence } from '../test/kits/sdJwt'
import { createMemoryNonceStore } from './nonceStore'
import { verifyPresentation } from './verifyPresentation'

// Registered SD-JWT VC claims are understood or ignored; only the credential type's own claims meet
// its schema; a claim that is neither is refused (docs/decisions/0023).

const INTEGRITY = 'sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8='

let s: Scenario

beforeAll(async () => {
  s = await createScenario()
})

/** Presents a board licence with `extra` claims (and what it discloses) and verifies it. */
async function verifyWith(
  extra: Record<string, unknown>,
  options: { disclosable?: string[]; disclose?: string[] } = {},
) {
  const nonces = createMemoryNonceStore()
  const nonce = nonces.issue({ audience: VERIFIER, now: NOW })
  const credential = await rawLicence(s, {
    extra,
    ...(options.disclosable ? { disclosable: options.disclosable } : {}),
  })
  const presentation = await presentSd(s, credential, { nonce, disclose: options.disclose ?? [] })
  const result = await verifyPresentation({
    presentation,
    resolver: s.resolver,
    trust: s.trust,
    status: s.status,
    nonces,
    expect: { nonce, audience: VERIFIER },
    now: NOW,
  })
  const credentialResult = result.credentials[0]!
  return {
    result,
    failed: { presentation: failedChecks(result), credential: failedChecks(credentialResult) },
    /** Why the schema check failed, when it did. */
    reason: credentialResult.checks.schema.passed ? undefined : credentialResult.checks.schema.reason,
  }
}

describe('verifyPresentation: registered SD-JWT VC claims', () => {
  it('passes vct#integrity, aka_vcts and sd_hash: registered, not checked against the schema', async () => {
    const { result, failed } = await verifyWith({
      'vct#integrity': INTEGRITY,
      aka_vcts: ['urn:example:vct:licence'],
      sd_hash: 'X9yH0Ajrdm1Oij4tWso9UzzKJvPoDxwmuEcO3XAdRC0',
    })
    expect(failed).toEqual({ presentation: {}, credential: {} })
    expect(result.disclosed).toMatchObject({ 'vct#integrity': INTEGRITY })
  })

  it('refuses a claim that is neither registered nor the type’s, visible or disclosed', async () => {
    for (const options of [{}, { disclosable: ['name', 'x_ward'], disclose: ['x_ward'] }]) {
      const { failed, reason } = await verifyWith({ x_ward: '3B' }, options)
      expect(failed).toEqual({ presentation: {}, credential: { schema: 'schema_invalid' } })
      expect(reason).toBe(
        'Claim "x_ward" is neither a claim of ClinicianLicenseCredential nor a registered SD-JWT VC claim.',
      )
    }
  })

  it('cannot see an unknown claim that the holder withheld, so passes', async () => {
    const { failed } = await verifyWith({ x_ward: '3B' }, { disclosable: ['name', 'x_ward'] })
    expect(failed).toEqual({ presentation: {}, credential: {} })
  })

  it('leaves claims other protocols registered (OpenID Connect email) to the type, which has none', async () => {
    const { failed, reason } = await verifyWith({ email: 'ada@example.org' })
    expect(failed.credential).toEqual({ schema: 'schema_invalid' })
    expect(reason).toMatch(/^Claim "email" is neither a claim of ClinicianLicenseCredential/)
  })

  it('refuses an audience-restricted credential (aud) and malformed registered claims', async () => {
    for (const extra of [
      { aud: VERIFIER },
      { 'vct#integrity': 'not-an-integrity-string!' },
      { aka_vcts: [] },
      { jti: 42 },
    ]) {
      const { failed, reason } = await verifyWith(extra)
      expect(failed, JSON.stringify(extra)).toEqual({
        presentation: {},
        credential: { schema: 'schema_invalid' },
      })
      expect(reason).toMatch(/"(aud|vct#integrity|aka_vcts|jti)"/)
    }
  })
})
