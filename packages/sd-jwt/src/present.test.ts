import { describe, expect, it } from 'vitest'
import { DAY_MS, decoded as decodeSdJwtVc, examples, keyPair } from '../test/helpers'
import { SdJwtError } from './errors'
import { issueSdJwtVc } from './issue'
import { issueRawSdJwt } from './issue-raw'
import { decodeKeyBinding } from './key-binding'
import { presentSdJwtVc, toPresentationFrame } from './present'

const issuer = keyPair('ES256K')
const holder = keyPair('ES256K')
const keyBinding = {
  alg: 'ES256K' as const,
  signer: holder.signer,
  nonce: 'nonce-1',
  audience: 'did:web:verifier.example',
}

async function patientCredential() {
  const { issuer: iss, subject, claims } = examples.PatientIdentityCredential
  return issueSdJwtVc({
    type: 'PatientIdentityCredential',
    issuer: iss,
    kid: `${iss}#controller`,
    alg: 'ES256K',
    signer: issuer.signer,
    subject,
    claims,
    holderJwk: holder.jwk,
    validFrom: new Date(),
    validUntil: new Date(Date.now() + 365 * DAY_MS),
  })
}

async function presentError(options: Parameters<typeof presentSdJwtVc>[0]): Promise<SdJwtError> {
  const error = await presentSdJwtVc(options).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(SdJwtError)
  return error as SdJwtError
}

describe('presentSdJwtVc', () => {
  it('keeps only the chosen disclosures and adds a KB-JWT', async () => {
    const presentation = await presentSdJwtVc({
      credential: await patientCredential(),
      disclose: ['birthDate'],
      keyBinding,
    })
    const decoded = decodeSdJwtVc(presentation)
    expect(decoded.disclosures.map((d) => d.name)).toEqual(['birthDate'])
    const kb = decodeKeyBinding(decoded)
    if (!kb.ok) throw new Error(kb.error.reason)
    expect(kb.value.header).toEqual({ typ: 'kb+jwt', alg: 'ES256K' })
    expect(Object.keys(kb.value.payload).sort()).toEqual(['aud', 'iat', 'nonce', 'sd_hash'])
    expect(kb.value.payload.nonce).toBe('nonce-1')
  })

  it('accepts always-visible names as no-ops', async () => {
    const presentation = await presentSdJwtVc({
      credential: await patientCredential(),
      disclose: ['iss', 'vct'],
      keyBinding,
    })
    expect(decodeSdJwtVc(presentation).disclosures).toEqual([])
  })

  it('refuses names that are not in the credential', async () => {
    const error = await presentError({
      credential: await patientCredential(),
      disclose: ['birthDate', 'ssn'],
      keyBinding,
    })
    expect(error.code).toBe('unknown_claim')
    expect(error.message).toMatchInlineSnapshot(
      `"Not in the credential: "ssn". Disclose only claims it holds."`,
    )
  })

  it('refuses a signer that is not the cnf.jwk key, or another curve', async () => {
    const credential = await patientCredential()
    const other = keyPair('ES256K')
    expect(
      (await presentError({ credential, disclose: [], keyBinding: { ...keyBinding, signer: other.signer } }))
        .code,
    ).toBe('key_binding_invalid')
    const p256 = keyPair('ES256')
    expect(
      (
        await presentError({
          credential,
          disclose: [],
          keyBinding: { ...keyBinding, alg: 'ES256', signer: p256.signer },
        })
      ).code,
    ).toBe('key_binding_invalid')
  })

  it('refuses an empty nonce or audience and a credential that already has a KB-JWT', async () => {
    const credential = await patientCredential()
    expect(
      (await presentError({ credential, disclose: [], keyBinding: { ...keyBinding, nonce: '' } })).code,
    ).toBe('invalid_options')
    const presented = await presentSdJwtVc({ credential, disclose: [], keyBinding })
    expect((await presentError({ credential: presented, disclose: [], keyBinding })).code).toBe('malformed')
  })

  it('discloses nested paths with their parents', async () => {
    const credential = await issueRawSdJwt({
      payload: { iss: 'did:web:i.example', cnf: { jwk: holder.jwk }, address: { city: 'X', street: 'Y' } },
      disclosureFrame: { _sd: ['address'], address: { _sd: ['city', 'street'] } },
      alg: 'ES256K',
      signer: issuer.signer,
    })
    const presentation = await presentSdJwtVc({ credential, disclose: ['address.city'], keyBinding })
    expect(decodeSdJwtVc(presentation).disclosures.map((d) => d.name)).toEqual(['address', 'city'])
  })
})

describe('toPresentationFrame', () => {
  it('turns dotted paths into a frame', () => {
    expect(toPresentationFrame(['a', 'b.c', 'b.d', 'list.0', 'e', 'e.f'])).toEqual({
      a: true,
      b: { c: true, d: true },
      list: { 0: true },
      e: { f: true },
    })
  })
})
