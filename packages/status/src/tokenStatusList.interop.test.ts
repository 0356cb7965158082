// Cross-check with @owf/token-status-list (the OpenWallet Foundation's Token Status List, used by
// @sd-jwt/sd-jwt-vc's verifier): lists and Status List Tokens made here read there and back.
import { createSigner, generatePrivateKey } from '@clavis/crypto'
import { createHeaderAndPayload, getListFromStatusListJWT, StatusList } from '@owf/token-status-list'
import { describe, expect, it } from 'vitest'
import { decodeTokenStatusList } from './decodeTokenStatusList'
import { encodeTokenStatusList } from './encodeTokenStatusList'
import { MIN_LIST_ENTRIES } from './limits'
import { signTokenStatusListJwt } from './signTokenStatusListJwt'
import { TOKEN_STATUS, type TokenStatusBits, TokenStatusList } from './tokenStatusList'

const STATUSES: [number, number][] = [
  [0, TOKEN_STATUS.INVALID],
  [42, TOKEN_STATUS.SUSPENDED],
  [94567, 3],
  [MIN_LIST_ENTRIES - 1, TOKEN_STATUS.INVALID],
]

describe('@owf/token-status-list reads what Clavis makes, and the other way round', () => {
  it.each([1, 2, 4, 8] as const)('our %i-bit list decompresses there to the same statuses', (bits) => {
    const ours = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits })
    for (const [index, status] of STATUSES) ours.set(index, status % 2 ** bits)
    const { lst } = encodeTokenStatusList(ours)
    const theirs = StatusList.decompressStatusListFromBytes(Buffer.from(lst, 'base64url'), bits)
    for (const index of [...STATUSES.map(([i]) => i), 1, 43])
      expect(theirs.getStatus(index)).toBe(ours.get(index))
  })

  it.each([1, 2, 4, 8] as const)(
    'its %i-bit list decodes here to the same statuses',
    (bits: TokenStatusBits) => {
      const theirs = new StatusList(new Array(MIN_LIST_ENTRIES).fill(0), bits)
      for (const [index, status] of STATUSES) theirs.setStatus(index, status % 2 ** bits)
      const { header, payload } = createHeaderAndPayload(
        theirs,
        { iss: 'did:example:issuer', sub: 'https://issuer.example/status/1', iat: 1767225600 },
        { alg: 'ES256K', typ: 'statuslist+jwt' },
      )
      expect(header.typ).toBe('statuslist+jwt')
      const ours = decodeTokenStatusList(payload.status_list as { bits: number; lst: string })
      expect(ours.size).toBe(MIN_LIST_ENTRIES)
      for (const index of [...STATUSES.map(([i]) => i), 1, 43])
        expect(ours.get(index)).toBe(theirs.getStatus(index))
    },
  )

  it('reads the list out of our signed Status List Token', async () => {
    const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 2 })
    list.set(42, TOKEN_STATUS.SUSPENDED)
    const jwt = await signTokenStatusListJwt({
      issuer: 'did:example:issuer',
      kid: 'did:example:issuer#key-1',
      alg: 'ES256K',
      signer: createSigner({ alg: 'ES256K', privateKey: generatePrivateKey('ES256K') }),
      uri: 'https://issuer.example/status/1',
      list,
      ttlSeconds: 30,
    })
    const theirs = getListFromStatusListJWT(jwt)
    expect(theirs.getBitsPerStatus()).toBe(2)
    expect([theirs.getStatus(41), theirs.getStatus(42)]).toEqual([TOKEN_STATUS.VALID, TOKEN_STATUS.SUSPENDED])
  })
})
