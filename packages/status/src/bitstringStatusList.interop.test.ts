// Cross-check with @digitalbazaar/vc-bitstring-status-list 2.0.1 (W3C Bitstring Status List, by one of
// its editors' companies): lists and list credentials made here read there and back. Where the
// library is laxer than the Recommendation, the tests below pin what it does (ADR 0022).

import { createSigner, generatePrivateKey } from '@clavis/crypto'
import {
  checkStatus,
  createCredential,
  createList,
  decodeList,
  getCredentialStatus,
  statusTypeMatches,
  VC_BSL_VC_V1_CONTEXT,
  VC_BSL_VC_V2_CONTEXT,
} from '@digitalbazaar/vc-bitstring-status-list'
import { describe, expect, it } from 'vitest'
import { Bitstring } from './bitstring'
import { bitstringStatusEntry, parseBitstringStatusEntry } from './bitstringStatusEntry'
import { CREDENTIALS_V1_CONTEXT, CREDENTIALS_V2_CONTEXT, STATUS_LIST_CONTEXT } from './contexts'
import { decodeBitstring } from './decodeBitstring'
import { decodeStatusListJwt } from './decodeStatusListJwt'
import { encodeBitstring } from './encodeBitstring'
import { MIN_LIST_ENTRIES } from './limits'
import { signBitstringStatusListCredential } from './signBitstringStatusListCredential'

const SET = [0, 7, 94567, MIN_LIST_ENTRIES - 1]
const issuer = 'did:ethr:0x7a69:0x1234567890abcdef1234567890abcdef12345678'
const url = 'https://agent.example/v1/status-lists/g/revocation'
const signer = createSigner({ alg: 'ES256K', privateKey: generatePrivateKey('ES256K') })

/** Our signed list credential, as a foreign verifier sees it once it checked the JWT: the credential. */
async function listCredential(format: 'jwt_vc' | 'vc+jwt', set = SET) {
  const list = Bitstring.create(MIN_LIST_ENTRIES)
  for (const index of set) list.set(index, true)
  const jwt = await signBitstringStatusListCredential({
    issuer,
    kid: `${issuer}#controller`,
    alg: 'ES256K',
    signer,
    format,
    url,
    purpose: 'revocation',
    list,
    ttlMs: 300_000,
  })
  const { payload } = decodeStatusListJwt(jwt)
  return (format === 'jwt_vc' ? payload.vc : payload) as Record<string, unknown>
}

/** A credential with one revocation entry, in the data model `context` starts. */
const credentialWith = (context: readonly string[], index: number) => ({
  '@context': context,
  type: ['VerifiableCredential', 'ClinicianLicenseCredential'],
  issuer,
  credentialSubject: { id: 'did:example:clinician' },
  credentialStatus: [bitstringStatusEntry({ listUrl: url, index, purpose: 'revocation' })],
})

/** Their checkStatus on our credential and list (the list's JWT is verified by the caller, as it must be). */
const theirStatus = async (credential: object, list: Record<string, unknown>) => {
  const result = await checkStatus({
    credential,
    documentLoader: async (u: string) => {
      expect(u).toBe(url)
      return { document: list }
    },
    verifyBitstringStatusListCredential: false,
  })
  expect(result.error).toBeUndefined()
  return result.results.map((r: { status: boolean }) => r.status)
}

describe('@digitalbazaar/vc-bitstring-status-list reads what Clavis makes, and the other way round', () => {
  it('decodes our encodedList to the same bits', async () => {
    const list = Bitstring.create(MIN_LIST_ENTRIES)
    for (const index of SET) list.set(index, true)
    const theirs = await decodeList({ encodedList: encodeBitstring(list) })
    expect(theirs.length).toBe(MIN_LIST_ENTRIES)
    for (const index of [...SET, 1, 94566, 94568]) expect(theirs.getStatus(index)).toBe(list.get(index))
  })

  it('we decode its encodedList to the same bits', async () => {
    const theirs = await createList({ length: MIN_LIST_ENTRIES })
    for (const index of SET) theirs.setStatus(index, true)
    const ours = decodeBitstring(await theirs.encode())
    expect(ours.size).toBe(MIN_LIST_ENTRIES)
    for (const index of [...SET, 1, 94566]) expect(ours.get(index)).toBe(theirs.getStatus(index))
  })

  it('our list credentials have the contexts, types and subject it makes (VC 1.1 and VC 2.0)', async () => {
    expect(VC_BSL_VC_V1_CONTEXT).toEqual([CREDENTIALS_V1_CONTEXT, STATUS_LIST_CONTEXT])
    expect(VC_BSL_VC_V2_CONTEXT).toEqual([CREDENTIALS_V2_CONTEXT])
    for (const [format, context] of [
      ['jwt_vc', VC_BSL_VC_V1_CONTEXT],
      ['vc+jwt', VC_BSL_VC_V2_CONTEXT],
    ] as const) {
      const ours = await listCredential(format)
      const theirs = await createCredential({
        id: url,
        list: await createList({ length: MIN_LIST_ENTRIES }),
        statusPurpose: 'revocation',
        context: [...context],
      })
      expect(ours['@context']).toEqual(theirs['@context'])
      expect(ours.type).toEqual(theirs.type)
      expect(ours.id).toBe(theirs.id)
      const { encodedList: _ours, ttl: _ttl, ...subject } = ours.credentialSubject as Record<string, unknown>
      const { encodedList: _theirs, ...theirSubject } = theirs.credentialSubject
      expect(subject).toEqual(theirSubject)
    }
  })

  it('its checkStatus reads our credentials’ entries against our lists, in both data models', async () => {
    for (const [format, context] of [
      ['jwt_vc', [CREDENTIALS_V1_CONTEXT, STATUS_LIST_CONTEXT]],
      ['vc+jwt', [CREDENTIALS_V2_CONTEXT]],
    ] as const) {
      const list = { ...(await listCredential(format)), issuer }
      expect(statusTypeMatches({ credential: credentialWith(context, 7) })).toBe(true)
      expect(
        getCredentialStatus({ credential: credentialWith(context, 7), statusPurpose: 'revocation' }),
      ).toEqual(credentialWith(context, 7).credentialStatus[0])
      expect(await theirStatus(credentialWith(context, 7), list)).toEqual([true])
      expect(await theirStatus(credentialWith(context, 8), list)).toEqual([false])
    }
  })
})

describe('where @digitalbazaar/vc-bitstring-status-list 2.0.1 is laxer than the Recommendation (pinned)', () => {
  it('item 1 of issue #8: without the status context a VC 1.1 credential’s entry is "no match", not an error', () => {
    // getCredentialStatus refuses it; statusTypeMatches says false, so a verifier built on it
    // (as @digitalbazaar/vc is) skips the status check altogether: that is why Clavis adds the context.
    const bare = credentialWith([CREDENTIALS_V1_CONTEXT], 7)
    expect(statusTypeMatches({ credential: bare })).toBe(false)
    expect(() => getCredentialStatus({ credential: bare, statusPurpose: 'revocation' })).toThrow(
      `"@context" must include "${STATUS_LIST_CONTEXT}"`,
    )
  })

  it('decodes a list shorter than 131,072 entries (§3.2 raises STATUS_LIST_LENGTH_ERROR); we refuse it', async () => {
    const small = await createList({ length: 8 })
    const encodedList = await small.encode()
    expect((await decodeList({ encodedList })).length).toBe(8)
    expect(() => decodeBitstring(encodedList)).toThrow(expect.objectContaining({ code: 'list_too_small' }))
  })

  it('reads statusListIndex with parseInt, so "7abc" is index 7 (§2.1: a base-10 integer string); we refuse it', async () => {
    const list = { ...(await listCredential('vc+jwt')), issuer }
    const credential = credentialWith([CREDENTIALS_V2_CONTEXT], 7)
    const junk = {
      ...credential,
      credentialStatus: [{ ...credential.credentialStatus[0]!, statusListIndex: '7abc' }],
    }
    expect(await theirStatus(junk, list)).toEqual([true])
    expect(parseBitstringStatusEntry(junk.credentialStatus[0])).toBeUndefined()
  })

  it('does not look at the list credential’s validity period; we refuse an expired list (checkStatusListJwt)', async () => {
    const list = { ...(await listCredential('vc+jwt')), issuer, validUntil: '2000-01-01T00:00:00Z' }
    expect(await theirStatus(credentialWith([CREDENTIALS_V2_CONTEXT], 7), list)).toEqual([true])
  })
})
