import { describe, expect, it } from 'vitest'
import { NEVER_DISCLOSABLE } from './disclosable'
import { REGISTERED_CLAIMS, splitRegisteredClaims } from './registered-claims'

const VCT = 'urn:clavis:vct:PatientIdentityCredential:1'
const INTEGRITY = 'sha256-vJKakJAQkDYkIhGrT1M3nxRuSj9udH0l1PXB06QHto8='

const reasonOf = (claims: Record<string, unknown>) => {
  const split = splitRegisteredClaims(claims)
  return split.ok ? 'ok' : `${split.error.code}: ${split.error.reason}`
}

describe('REGISTERED_CLAIMS', () => {
  it('says, per registered claim, whether it is checked, ignored or refused', () => {
    expect(
      Object.entries(REGISTERED_CLAIMS).map(([name, { use }]) => `${name}: ${use}`),
    ).toMatchInlineSnapshot(`
      [
        "iss: checked",
        "sub: checked",
        "iat: checked",
        "nbf: checked",
        "exp: checked",
        "jti: checked",
        "cnf: checked",
        "status: checked",
        "vct: checked",
        "vct#integrity: ignored",
        "aka_vcts: ignored",
        "sd_hash: ignored",
        "aud: refused",
      ]
    `)
    expect(Object.isFrozen(REGISTERED_CLAIMS)).toBe(true)
  })

  it('holds every claim that must stay visible, so none of them reaches a schema', () => {
    expect(NEVER_DISCLOSABLE.filter((name) => !Object.hasOwn(REGISTERED_CLAIMS, name))).toEqual([])
  })
})

describe('splitRegisteredClaims', () => {
  it("keeps the registered claims apart from the type's own, the ignored ones included", () => {
    const registered = {
      iss: 'did:ethr:0x1',
      sub: 'did:ethr:0x2',
      iat: 1,
      nbf: 1,
      exp: 2,
      jti: 'urn:uuid:1',
      cnf: { jwk: {} },
      status: { status_list: { idx: 0, uri: 'https://i.example/1' } },
      vct: VCT,
      'vct#integrity': `${INTEGRITY} sha384-AAAA?x`,
      aka_vcts: ['urn:example:identity'],
      sd_hash: 'abc',
    }
    const own = { name: { family: 'García' }, birthDate: '1984-02-29', email: 'x', x_ward: '3B' }
    expect(splitRegisteredClaims({ ...registered, ...own })).toEqual({ ok: true, value: { registered, own } })
  })

  it('refuses an audience-restricted credential (RFC 7519 §4.1.3)', () => {
    expect(reasonOf({ vct: VCT, aud: 'did:web:v.example' })).toMatch(/^malformed: .*"aud".*RFC 7519 §4.1.3/)
  })

  it('refuses registered claims of the wrong form', () => {
    const cases: Record<string, unknown>[] = [
      { 'vct#integrity': 42 },
      { 'vct#integrity': '' },
      { 'vct#integrity': 'sha256' },
      { 'vct#integrity': 'sha256-not base64!' },
      { 'vct#integrity': `sha256-${'A'.repeat(2000)}` },
      { aka_vcts: 'urn:a' },
      { aka_vcts: [] },
      { aka_vcts: [1] },
      { aka_vcts: [VCT] },
      { sub: 7 },
      { jti: 7 },
      { vct: ['x'] },
      { sd_hash: {} },
      { cnf: 'k' },
      { status: [] },
    ]
    for (const claims of cases)
      expect(reasonOf({ vct: VCT, ...claims }), JSON.stringify(claims)).toMatch(/^malformed: /)
  })

  it('keeps a claim named __proto__ as a claim', () => {
    const split = splitRegisteredClaims(JSON.parse('{"vct":"v","__proto__":{"polluted":1}}'))
    expect(split.ok && Object.hasOwn(split.value.own, '__proto__')).toBe(true)
    expect(split.ok && Object.getPrototypeOf(split.value.own)).toBe(Object.prototype)
  })
})
