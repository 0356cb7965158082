import { beforeAll, describe, expect, it } from 'vitest'
import { signRawJwt } from '../test/kits/identities'
import {
  createScenario,
  failedChecks as failed,
  licence,
  NOW,
  type Scenario,
  signVc,
  VERIFIER,
} from '../test/kits/scenario'
import { createMemoryNonceStore } from './nonceStore'
import { verifyPresentation } from './verifyPresentation'

const NOW_S = Math.floor(NOW.getTime() / 1000)

let s: Scenario
let licenceJwt: string

beforeAll(async () => {
  s = await createScenario()
  licenceJwt = await signVc(licence(s), s.board)
})

/** A VP signed by the clinician (the licence's subject) over a hand-made payload. */
async function presentAs(extra: (nonce: string) => Record<string, unknown>) {
  const nonces = createMemoryNonceStore()
  const nonce = nonces.issue({ audience: VERIFIER, now: NOW })
  const payload = extra(nonce)
  const jwt = await signRawJwt(
    { alg: 'ES256K', typ: 'JWT', kid: `${s.clinician.did}#controllerKey` },
    {
      iss: s.clinician.did,
      aud: VERIFIER,
      nonce,
      iat: NOW_S,
      exp: NOW_S + 60,
      ...payload,
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [licenceJwt],
        ...(payload.vp as object | undefined),
      },
    },
    s.clinician.signer,
  )
  return verifyPresentation({
    presentation: jwt,
    resolver: s.resolver,
    trust: s.trust,
    status: s.status,
    nonces,
    expect: { nonce, audience: VERIFIER },
    now: NOW,
  })
}

describe('verifyPresentation (JWT VP): holder fields must agree with the signer (SECURITY.md)', () => {
  it('control: a VP whose holder fields name the signer is valid', async () => {
    const result = await presentAs(() => ({ vp: { holder: s.clinician.did } }))
    expect(result.valid).toBe(true)
  })

  it.each([
    ['vp.holder', () => ({ vp: { holder: 'PATIENT' } })],
    ['vp.holder.id', () => ({ vp: { holder: { id: 'PATIENT' } } })],
    ['holder', () => ({ holder: 'PATIENT' })],
    ['sub', () => ({ sub: 'PATIENT' })],
  ])('refuses a VP signed by the clinician whose %s names someone else', async (_, extra) => {
    const result = await presentAs(() =>
      JSON.parse(JSON.stringify(extra()).replaceAll('PATIENT', s.patient.did)),
    )
    expect(result.valid).toBe(false)
    expect(failed(result)).toMatchObject({ holderBinding: 'holder_mismatch' })
  })
})
