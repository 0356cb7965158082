import type { CredentialType } from '@clavis/credentials'
import type { JwsAlgorithm } from '@clavis/crypto'
import { describe, expect, it } from 'vitest'
import { checkPresentation, examples, issueExample, keyPair } from '../test/helpers'
import { presentSdJwtVc } from './present'

const NONCE = 'n-0S6_WzA2Mj'
const AUDIENCE = 'did:ethr:0x14a34:0x5b2e4b0d8c2b4a3b9f1e7d6c5a4b3c2d1e0f9a8c'
const issuerKey = keyPair('ES256K')
const issue = (type: CredentialType, holder: ReturnType<typeof keyPair>) =>
  issueExample(type, holder, issuerKey)
const verify = (presentation: string) => checkPresentation(presentation, [issuerKey])

const choices: Record<CredentialType, { disclose: string[]; hidden: string[] }> = {
  PatientIdentityCredential: {
    disclose: ['name', 'birthDate'],
    hidden: ['identifier', 'insuranceMemberId', 'address', 'identityAssuranceLevel'],
  },
  ClinicianLicenseCredential: { disclose: ['npi'], hidden: [] },
  AccessGrantCredential: { disclose: [], hidden: [] },
}

describe('issue → present → decode, disclosures, key binding', () => {
  const types: CredentialType[] = [
    'PatientIdentityCredential',
    'ClinicianLicenseCredential',
    'AccessGrantCredential',
  ]
  const holderAlgs: JwsAlgorithm[] = ['ES256K', 'ES256']
  for (const type of types)
    for (const holderAlg of holderAlgs)
      it(`${type} with an ${holderAlg} holder key`, async () => {
        const holder = keyPair(holderAlg)
        const credential = await issue(type, holder)
        const { disclose, hidden } = choices[type]
        const presentation = await presentSdJwtVc({
          credential,
          disclose,
          keyBinding: { alg: holderAlg, signer: holder.signer, nonce: NONCE, audience: AUDIENCE },
        })
        const verified = verify(presentation)
        if (!verified.ok) throw new Error(`${verified.error.code}: ${verified.error.reason}`)
        const result = verified.value
        const all = examples[type].claims
        for (const name of disclose) expect(result.claims[name]).toEqual(all[name])
        for (const name of hidden) expect(result.claims).not.toHaveProperty(name)
        for (const name of Object.keys(all).filter((n) => !disclose.includes(n) && !hidden.includes(n)))
          expect(result.claims[name]).toEqual(all[name])
        expect(result.claims).not.toHaveProperty('_sd')
        expect(result.claims).not.toHaveProperty('_sd_alg')
        expect(result.disclosedNames).toEqual([...disclose].sort())
        expect(result.claims.iss).toBe(examples[type].issuer)
        expect(result.claims.sub).toBe(examples[type].subject)
        expect(result.decoded.payload.vct).toBe(`urn:clavis:vct:${type}:1`)
        expect(result.decoded.payload.status).toEqual({
          status_list: { idx: 7, uri: 'https://agent.example.org/status/1' },
        })
        expect(typeof result.decoded.payload.exp).toBe('number')
        expect(result.keyBinding.holderJwk).toEqual(holder.jwk)
        expect(result.decoded.header).toEqual({
          alg: 'ES256K',
          typ: 'dc+sd-jwt',
          kid: `${examples[type].issuer}#controller`,
        })
        expect(result.keyBinding.claims).toEqual({ nonce: NONCE, aud: AUDIENCE, iat: expect.any(Number) })
      })
})
