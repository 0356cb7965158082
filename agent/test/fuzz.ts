import { deflateSync } from 'node:zlib'
import { base64urlEncode, base64urlJson, type Signer } from '@clavis/crypto'
import {
  alterJwt,
  bindKey,
  decodeJwt,
  encodeDisclosure,
  type HolderKey,
  type Json,
  resign,
  signJwt,
  withoutKeyBinding,
} from './holders'

// Building blocks of the API fuzz test (src/http/fuzz.e2e.test.ts): a seeded PRNG, valid-ish values
// from the OpenAPI document's JSON schemas, and hostile path segments, bodies, headers and JWTs.

/** A small seeded PRNG (mulberry32): the same seed gives the same run. */
export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let x = this.state
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }

  /** A whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** A whole number in [min, max]. */
  between(min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[this.int(items.length)]!
  }

  /** `items` in a random order (a copy). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items]
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      ;[out[i], out[j]] = [out[j]!, out[i]!]
    }
    return out
  }

  /** `count` items drawn from `kinds` so that every kind comes up about as often, shuffled. */
  deck<T>(kinds: readonly T[], count: number): T[] {
    const out: T[] = []
    while (out.length < count) out.push(...this.shuffle(kinds))
    return this.shuffle(out.slice(0, count))
  }
}

/** A 32-bit hash of a string (FNV-1a): derives one operation's seed from the run's seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** The parts of JSON Schema that zod's `toJSONSchema` emits for the API's request bodies. */
export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  enum?: unknown[]
  const?: unknown
  minimum?: number
  maximum?: number
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
}

/** What the generator knows beyond the schema: real values to prefer, by property name and in general. */
export interface Knowledge {
  /** Components of the OpenAPI document, for `$ref`. */
  schemas: Record<string, JsonSchema>
  /** Real values by property name (e.g. `claims`, `subject`), used most of the time when present. */
  byName: Record<string, readonly unknown[]>
  /** Real strings of every kind (ids, DIDs, JWTs, URLs), used when they fit a string schema. */
  strings: readonly string[]
}

function resolveRef(schema: JsonSchema, k: Knowledge): JsonSchema {
  let s = schema
  for (let i = 0; s.$ref && i < 10; i++) {
    const name = s.$ref.replace('#/components/schemas/', '')
    const next = k.schemas[name]
    if (!next) throw new Error(`unknown schema ${s.$ref}`)
    s = next
  }
  return s
}

function fitsString(value: string, s: JsonSchema): boolean {
  if (s.minLength !== undefined && value.length < s.minLength) return false
  if (s.maxLength !== undefined && value.length > s.maxLength) return false
  if (s.pattern && !new RegExp(s.pattern, 'u').test(value)) return false
  if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) return false
  if (s.format === 'uri' && !/^[a-z][a-z0-9+.-]*:/i.test(value)) return false
  return true
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** Letters and digits, starting with a letter. */
function randomText(rng: Rng, length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALNUM[rng.int(i === 0 ? 52 : ALNUM.length)]
  return out
}

/** A value that the schema (probably) accepts: real values where they fit, else generated ones. */
export function validish(schema: JsonSchema, k: Knowledge, rng: Rng, name?: string): unknown {
  const s = resolveRef(schema, k)
  const known = name ? k.byName[name] : undefined
  if (known?.length && rng.chance(0.85)) return structuredClone(rng.pick(known))
  if (s.const !== undefined) return s.const
  if (s.enum?.length) return rng.pick(s.enum)
  const branches = s.anyOf ?? s.oneOf
  if (branches?.length) return validish(rng.pick(branches), k, rng, name)
  if (s.allOf?.[0]) return validish(s.allOf[0], k, rng, name)
  const type = Array.isArray(s.type) ? rng.pick(s.type) : s.type
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {}
      const required = new Set(s.required ?? [])
      for (const [key, sub] of Object.entries(s.properties ?? {})) {
        if (required.has(key) || rng.chance(0.5)) out[key] = validish(sub, k, rng, key)
      }
      return out
    }
    case 'array': {
      const min = s.minItems ?? 0
      const max = Math.min(s.maxItems ?? min + 3, min + 3)
      const n = rng.between(min, max)
      const items = s.items ?? {}
      const out: unknown[] = []
      for (let i = 0; i < n; i++) out.push(validish(items, k, rng))
      // Enum items are likely unique in real schemas.
      return items.enum ? [...new Set(out)] : out
    }
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0
      const max = s.maximum ?? 1000
      const n = min + rng.next() * (max - min)
      return type === 'integer' ? Math.round(n) : n
    }
    case 'boolean':
      return rng.chance(0.5)
    case 'string': {
      if (s.format === 'date-time') {
        const days = rng.between(-30, 400)
        return new Date(Date.now() + days * 86_400_000).toISOString()
      }
      const fitting = k.strings.filter((v) => fitsString(v, s))
      if (fitting.length && rng.chance(0.5)) return rng.pick(fitting)
      // Lengths at the edges (the schema's and those of fixed-size fields such as bytes32).
      const min = s.minLength ?? 1
      const lengths = [min, min + 1, 8, 23, 24, 31, 32, 33, 63, 64, 65, 128, 255, 256]
      if (s.maxLength !== undefined) lengths.push(s.maxLength - 1, s.maxLength)
      const texts = rng
        .shuffle(lengths.filter((n) => n >= min && n <= (s.maxLength ?? 256)))
        .map((n) =>
          s.format === 'uri'
            ? `https://example.org/${randomText(rng, Math.max(1, n - 20))}`
            : randomText(rng, n),
        )
      const found = texts.find((v) => fitsString(v, s))
      if (found !== undefined) return found
      if (fitting.length) return rng.pick(fitting)
      return randomText(rng, min)
    }
    default:
      return rng.pick([{}, 'x', 1, true, null])
  }
}

/** Very long strings, built once. */
export const LONG = {
  k10: 'a'.repeat(10_000),
  k60: 'b'.repeat(60_000),
  k70: 'c'.repeat(70_000),
} as const

/** Strings that break naive parsers, queries, paths and renderers. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'null',
  'undefined',
  'true',
  '[object Object]',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  "' OR '1'='1",
  '1; DROP TABLE clavis_organisation; --',
  '" OR 1=1 --',
  "%' --",
  '../../../../etc/passwd',
  '..\\..\\windows',
  '\u0024{jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'Ω≈ç√∫˜µ≤≥÷',
  'ﬀ',
  'é',
  'é',
  '😀👩‍⚕️',
  '\u202eevil',
  '\ud800',
  '\udfff\ud800',
  '\ufeff',
  '𝕯𝖎𝖉',
  '\r\n',
  '\t',
  '%00',
  '%2F',
  '%',
  '%%',
  '%zz',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  LONG.k10,
]

/** Dates at and beyond the edges. */
export const ODD_DATES: readonly string[] = [
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59.999999999Z',
  '+275760-09-13T00:00:00.000Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00.000Z',
  '-000001-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '2024-02-29T00:00:00Z',
  '2023-02-29T00:00:00Z',
  '2024-13-01T00:00:00Z',
  '2024-01-01T24:00:00Z',
  '2024-01-01T23:59:60Z',
  '2024-01-01T00:00:00+23:59',
  '2024-01-01T00:00:00-23:59',
  '2024-01-01T00:00:00+25:00',
  '2024-01-01',
  '2024-01-01T00:00:00',
  'Tue, 01 Jan 2030 00:00:00 GMT',
  'now',
  '1700000000',
]

/** Numbers (and number-like strings) at and beyond the edges. */
export const ODD_NUMBERS: readonly unknown[] = [
  -1,
  -0,
  0,
  0.5,
  -1e308,
  1e308,
  5e-324,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '60',
  '0x3c',
]

/** DIDs of odd shapes (some valid syntax, most not resolvable here). */
export function oddDids(realAddress: string): string[] {
  const hex40 = realAddress.replace(/^0x/, '').toLowerCase()
  return [
    'did:',
    'did:ethr',
    'did:ethr:',
    'did:ethr:0x7a69',
    'did:ethr:0x7a69:',
    'did:ethr:0x7a69:0x',
    'did:ethr:0x7a69:0xZZ',
    `did:ethr:0x7a69:0x${'0'.repeat(40)}`,
    `did:ethr:0x7a69:0x${hex40.toUpperCase()}`,
    `did:ethr:0x7a69:0x${'f'.repeat(66)}`,
    `did:ethr:0x7a69:0x02${'f'.repeat(64)}`,
    `did:ethr:0x7a69:0x04${'1'.repeat(128)}`,
    `did:ethr:0x7a69:0x${hex40}#controller`,
    `did:ethr:0x7a69:0x${hex40}?versionId=1`,
    `did:ethr:0x7a69:0x${hex40}?versionId=abc`,
    `did:ethr:0x7a69:0x${hex40}/path`,
    `did:ethr:0x7a69:0x${hex40}:extra`,
    `did:ethr:0x7a69:0x${hex40}%00`,
    `did:ethr:0x7a69:0x${hex40}%2F`,
    `did:ethr:0x1:0x${hex40}`,
    `did:ethr:mainnet:0x${hex40}`,
    `did:ethr:0x${'f'.repeat(70)}:0x${hex40}`,
    `did:ethr:0x${hex40}`,
    `did:ethr:${'0x7a69:'.repeat(40)}0x${hex40}`,
    `DID:ETHR:0x7a69:0x${hex40}`,
    'did:web:localhost',
    'did:web:127.0.0.1%3A1',
    'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    'did:jwk:eyJrdHkiOiJFQyJ9',
    'did:example:123',
    `did:ethr:0x7a69:${'a'.repeat(250)}`,
    `did:ethr:0x7a69:${'a'.repeat(10_000)}`,
    'did:ethr:0x7a69:..',
    'did:ethr:0x7a69:%',
    'did:ethr:0x7a69:%zz',
    'did:ethr:0x7a69:😀',
  ]
}

/** Hostile path segments; the caller inserts them raw or percent-encoded. */
export const HOSTILE_SEGMENTS: readonly string[] = [
  '',
  '.',
  '..',
  '%2e%2e',
  '%00',
  '%2F',
  '%2f..%2f..%2fhealth',
  '..%2F..%2Fme',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AE%C0%AE',
  '%u0000',
  '%ff%fe',
  '%25',
  '%252F',
  LONG.k10,
  'ü',
  '😀',
  '\u202e',
  "' OR '1'='1",
  '1; DROP TABLE x; --',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  'NaN',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  '*',
  '?',
  '#',
  ';',
  '~',
]

/** `count` random bytes, percent-encoded: encoded garbage. */
export function encodedGarbage(rng: Rng, count: number): string {
  let out = ''
  for (let i = 0; i < count; i++) out += `%${rng.int(256).toString(16).padStart(2, '0').toUpperCase()}`
  return out
}

/** Values of other JSON types than `value`'s. */
export function otherTypes(value: unknown): unknown[] {
  const all: unknown[] = [0, -1, 1.5, true, false, 'text', '', [], [1, 'a'], {}, { a: 1 }, null]
  const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v)
  return all.filter((v) => kind(v) !== kind(value))
}

/** `[[[…]]]` nested `depth` deep, as JSON text. */
export function deepArrayJson(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`
}

/** `{"a":{"a":…}}` nested `depth` deep, as JSON text. */
export function deepObjectJson(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}

/** Invalid JSON texts. */
export const INVALID_JSON: readonly string[] = [
  '{',
  '}',
  '{"a":',
  "{'a':1}",
  '{"a":1,}',
  '{"a":1}garbage',
  '{"a":1}{"b":2}',
  'undefined',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '\u0000',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\x41"}',
  '[',
  '"unterminated',
  '{"a":01}',
  '/* comment */ {}',
  '{"a":1} // comment',
  'true false',
]

/** Content types that are not `application/json` (or are, in odd spellings). */
export const ODD_CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  '',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  'application/json-patch+json',
  'application/ld+json',
  'application/json; charset=utf-16',
  'application/json;charset=latin1',
  'APPLICATION/JSON',
  'application/json ; x=y',
  'application/json, text/plain',
  'application/xml',
  'application/statuslist+jwt',
  '*/*',
  'application/',
]

/** Authorization header values that are not a plain `Bearer <token>`; `token` is a real token. */
export function oddAuthorizations(token: string, other: string): string[] {
  return [
    '',
    'Bearer',
    'Bearer ',
    `Bearer   ${token}`,
    `bearer ${token}`,
    `BEARER ${token}`,
    `Bearer\t${token}`,
    `Bearer ${token} extra`,
    `Bearer ${token},Bearer ${other}`,
    `Bearer ${token} Bearer ${other}`,
    `Token ${token}`,
    `Basic ${Buffer.from('admin:admin').toString('base64')}`,
    `Digest username="admin"`,
    `Bearer ${'a'.repeat(201)}`,
    `Bearer ${LONG.k10}`,
    `${'Bearer '.repeat(500)}${token}`,
    'Bearer null',
    'Bearer undefined',
    'Bearer %00',
    `Bearer ${token.slice(0, -1)}`,
    `Bearer ${token}x`,
    `Bearer ÿÿÿÿ`,
    `Bearer "${token}"`,
    'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ.',
    `Bearer ${"' OR '1'='1"}`,
  ]
}

/** Query strings for list parameters and anything else a route might read. */
export const ODD_QUERIES: readonly string[] = [
  '?limit=-1',
  '?limit=0',
  '?limit=501',
  '?limit=99999999999',
  '?limit=1e2',
  '?limit=abc&offset=-5',
  '?offset=1000000001',
  '?offset=1e9',
  '?limit=1&limit=2',
  '?limit=&offset=',
  '?reissueRequired=maybe',
  '?reissueRequired=true&reissueRequired=false',
  '?type=__proto__',
  '?type=ClinicianLicenseCredential',
  '?type=',
  '?%00=%00',
  '?__proto__[admin]=1',
  '?constructor=x',
  `?a=${'z'.repeat(5000)}`,
  '?limit=%',
]

/**
 * Compact JWTs that a status-list upload must refuse: garbage, `alg: none`, odd and huge headers,
 * hostile claims, a decompression bomb. Those with a valid structure are signed by `signer` (the
 * DID's own key) so that they get past the signature and reach the later checks.
 */
export async function hostileJwts(options: {
  signer: Signer
  kid: string
  issuer: string
  uri: string
  now: number
  validList: string
}): Promise<string[]> {
  const { signer, kid, issuer, uri, now } = options
  const sign = async (header: Record<string, unknown> | string, payload: Record<string, unknown>) => {
    const h = typeof header === 'string' ? Buffer.from(header).toString('base64url') : base64urlJson(header)
    const input = `${h}.${base64urlJson(payload)}`
    return `${input}.${await signer(input)}`
  }
  const header = { alg: 'ES256K', typ: 'statuslist+jwt', kid }
  const payload = {
    iss: issuer,
    sub: uri,
    iat: now,
    exp: now + 86_400,
    ttl: 300,
    status_list: { bits: 2, lst: options.validList },
  }
  const bomb = base64urlEncode(deflateSync(Buffer.alloc(40 * 1024 * 1024)))
  const raw = (h: string, p: string, s: string) => `${h}.${p}.${s}`
  const b64 = (text: string) => Buffer.from(text).toString('base64url')
  const sig64 = base64urlEncode(new Uint8Array(64).fill(1))
  return [
    '',
    'a',
    'a.b',
    'a.b.c',
    '..',
    '....',
    '.'.repeat(5000),
    'x'.repeat(60_000),
    raw(b64('{'), b64('{}'), sig64),
    raw(b64('[]'), b64('{}'), sig64),
    raw(b64('null'), b64('null'), sig64),
    raw(b64(JSON.stringify(header)), b64('"text"'), sig64),
    raw(b64(JSON.stringify(header)), b64(deepObjectJson(5000)), sig64),
    raw(base64urlJson({ alg: 'none', typ: 'statuslist+jwt', kid }), base64urlJson(payload), ''),
    raw(base64urlJson({ alg: 'none' }), base64urlJson(payload), sig64),
    raw(base64urlJson({ alg: 'HS256', typ: 'statuslist+jwt', kid }), base64urlJson(payload), sig64),
    raw(base64urlJson(header), base64urlJson(payload), '!!!'),
    raw(base64urlJson(header), base64urlJson(payload), 'A'.repeat(20_000)),
    `${raw(base64urlJson(header), base64urlJson(payload), sig64)}~`,
    await sign({ ...header, x: 'y'.repeat(40_000) }, payload),
    await sign({ ...header, kid: '' }, payload),
    await sign({ ...header, kid: 'k'.repeat(10_000) }, payload),
    await sign({ ...header, kid: 42 }, payload),
    await sign({ ...header, typ: 'JWT' }, payload),
    await sign({ ...header, typ: 'jwt' }, payload),
    await sign({ ...header, crit: ['exp'] }, payload),
    await sign({ ...header, jku: 'http://127.0.0.1:1/keys' }, payload),
    await sign({ ...header, alg: 'ES256' }, payload),
    await sign(`{"__proto__":{"alg":"none"},${JSON.stringify(header).slice(1)}`, payload),
    await sign(`{"alg":"none",${JSON.stringify(header).slice(1)}`, payload),
    await sign(header, { ...payload, iat: -1 }),
    await sign(header, { ...payload, iat: 1e300 }),
    await sign(header, { ...payload, iat: 2 ** 53 + 2 }),
    await sign(header, { ...payload, iat: 253402300799, exp: undefined }),
    await sign(header, { ...payload, iat: '1700000000' }),
    await sign(header, { ...payload, iat: now + 10 * 365 * 86_400 }),
    await sign(header, { ...payload, exp: now - 1 }),
    await sign(header, { ...payload, exp: 253402300799 }),
    await sign(header, { ...payload, ttl: 0 }),
    await sign(header, { ...payload, ttl: -1 }),
    await sign(header, { ...payload, ttl: 1e300 }),
    await sign(header, { ...payload, sub: `${uri}x` }),
    await sign(header, { ...payload, sub: 'file:///etc/passwd' }),
    await sign(header, { ...payload, iss: `${issuer}x` }),
    await sign(header, { ...payload, iss: ['a'] }),
    await sign(header, { ...payload, status_list: null }),
    await sign(header, { ...payload, status_list: [] }),
    await sign(header, { ...payload, status_list: { bits: 3, lst: options.validList } }),
    await sign(header, { ...payload, status_list: { bits: 2, lst: '' } }),
    await sign(header, { ...payload, status_list: { bits: 2, lst: '!!!' } }),
    await sign(header, {
      ...payload,
      status_list: { bits: 2, lst: base64urlEncode(Buffer.from('garbage')) },
    }),
    await sign(header, { ...payload, status_list: { bits: 8, lst: bomb } }),
    await sign(header, { ...payload, status_list: { bits: 2, lst: options.validList, aggregation_uri: 1 } }),
    await sign(
      { alg: 'ES256K', typ: 'JWT', kid },
      {
        iss: issuer,
        jti: uri,
        nbf: now,
        vc: {
          '@context': ['https://www.w3.org/ns/credentials/v2'],
          type: ['VerifiableCredential', 'BitstringStatusListCredential'],
          id: uri,
          issuer,
          validFrom: new Date(now * 1000).toISOString(),
          credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bomb },
        },
      },
    ),
    await sign(
      { alg: 'ES256K', typ: 'JWT', kid },
      { iss: issuer, jti: uri, nbf: now, vc: { credentialSubject: { encodedList: 'u' } } },
    ),
  ]
}

/** What {@link hostileTokens} builds on: real credentials and keys of the running agent. */
export interface TokenKit {
  /** A JWT-VC licence issued by the board. */
  licence: string
  /** An SD-JWT VC (ending in `~`) issued by the hospital, bound to `patient`. */
  identity: string
  /** Holder keys; the hospital trusts `clinician` as an issuer of licences. */
  clinician: HolderKey
  patient: HolderKey
  /** `<publicUrl>/v1/status-lists/` */
  ownLists: string
  /** A real status list group of the board. */
  group: string
}

/** A hostile credential or presentation, made for a nonce and audience where it needs them. */
export interface HostileToken {
  name: string
  make: (o: { nonce: string; audience: string }) => Promise<string>
}

/**
 * Credentials and presentations that verification must refuse without failing: broken and
 * unsigned JWTs, odd headers and payloads, self-issued licences (signed by a key the hospital
 * trusts, so their status entries are checked) pointing at odd status lists, SD-JWTs with
 * garbage, prototype-polluting and deep disclosures, key-binding JWTs gone wrong, and JWT VPs of
 * odd shapes.
 */
export function hostileTokens(kit: TokenKit): HostileToken[] {
  const { licence, identity, clinician, patient, ownLists, group } = kit
  const fixed = (name: string, token: string): HostileToken => ({ name, make: async () => token })
  const b64 = (text: string) => Buffer.from(text).toString('base64url')
  const [lh, lp, ls] = licence.split('.') as [string, string, string]
  const realStatus = (decodeJwt(licence).payload.vc.credentialStatus as Json[])[0]!

  /** The licence re-issued by the clinician's key (trusted by the hospital), changed by `change`. */
  const selfIssued = (name: string, change: (payload: Json) => void): HostileToken => ({
    name: `self-issued licence: ${name}`,
    make: () =>
      resign(licence, clinician.signer, (header, payload) => {
        header.kid = clinician.kid
        payload.iss = clinician.did
        if (payload.vc && typeof payload.vc === 'object') payload.vc.issuer = clinician.did
        change(payload)
      }),
  })
  const withStatus = (name: string, status: unknown) =>
    selfIssued(`credentialStatus ${name}`, (p) => {
      p.vc.credentialStatus = status
    })
  const entry = (change: Json) => [{ ...realStatus, ...change }]
  const statusUrls = [
    `${ownLists}dids/x`,
    `${ownLists}dids/a/b`,
    `${ownLists}dids/${clinician.did}/grants`,
    `${ownLists}${group}/bogus`,
    `${ownLists}${group}/__proto__`,
    `${ownLists}${group}/token`,
    `${ownLists}%00/revocation`,
    `${ownLists}../../health`,
    `${ownLists}`,
    `${ownLists}${'x'.repeat(5000)}/revocation`,
    'http://127.0.0.1:1/list',
    'http://10.0.0.1/list',
    'http://[::1]/list',
    'http://[::ffff:127.0.0.1]/list',
    'http://0x7f.1/list',
    'http://2130706433/list',
    'https://192.0.2.1/list',
    'https://169.254.169.254/latest/meta-data',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,eyJ',
    'http://user:pw@127.0.0.1/list',
    'not a url',
    '',
    42,
    null,
  ]

  const sd = withoutKeyBinding(identity)
  const sdJwt = sd.split('~')[0]!
  const kb = (o: { nonce: string; audience: string }, extra: { signer?: Signer; iat?: number } = {}) =>
    bindKey({
      sdJwt: sd,
      signer: extra.signer ?? patient.signer,
      nonce: o.nonce,
      audience: o.audience,
      iat: extra.iat,
    })
  const vp = (
    o: { nonce: string; audience: string },
    change: (payload: Json, header: Json) => void,
    signer: Signer = clinician.signer,
  ) => {
    const iat = Math.floor(Date.now() / 1000)
    const header: Json = { alg: 'ES256K', typ: 'JWT', kid: clinician.kid }
    const payload: Json = {
      iss: clinician.did,
      aud: o.audience,
      nonce: o.nonce,
      iat,
      nbf: iat,
      exp: iat + 60,
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        verifiableCredential: [licence],
      },
    }
    change(payload, header)
    return signJwt({ header, payload, signer })
  }

  return [
    fixed('three empty parts', '..'),
    fixed('JWT of garbage', 'a.b.c'),
    fixed('licence with alg none', alterJwt(licence, { header: { alg: 'none' }, signature: '' })),
    fixed('licence with alg HS256', alterJwt(licence, { header: { alg: 'HS256' } })),
    fixed('licence with a kid of another DID', alterJwt(licence, { header: { kid: clinician.kid } })),
    fixed('licence with a 40 kB header', alterJwt(licence, { header: { x: 'y'.repeat(40_000) } })),
    fixed('licence with a kid of 10 kB', alterJwt(licence, { header: { kid: 'k'.repeat(10_000) } })),
    fixed('licence with a header that is an array', `${b64('[]')}.${lp}.${ls}`),
    fixed('licence with a deeply nested payload', `${lh}.${b64(deepObjectJson(5000))}.${ls}`),
    fixed('licence with a deeply nested array payload', `${lh}.${b64(deepArrayJson(10_000))}.${ls}`),
    fixed('licence with a payload of null', `${lh}.${b64('null')}.${ls}`),
    fixed(
      'licence with a prototype-polluting payload',
      `${lh}.${b64('{"__proto__":{"polluted":"yes"},"vc":{"__proto__":{"polluted":"yes"}}}')}.${ls}`,
    ),
    fixed('licence with 4 parts', `${licence}.${ls}`),
    fixed('licence with a 20 kB signature', `${lh}.${lp}.${'A'.repeat(20_000)}`),
    fixed('licence with padding', `${licence}==`),
    selfIssued('vc null', (p) => {
      p.vc = null
    }),
    selfIssued('vc an array', (p) => {
      p.vc = []
    }),
    selfIssued('vc a string', (p) => {
      p.vc = 'x'
    }),
    selfIssued('iss an object', (p) => {
      p.iss = { id: clinician.did }
    }),
    selfIssued('nbf and exp far off', (p) => {
      p.nbf = -1
      p.exp = 1e300
    }),
    selfIssued('exp a string', (p) => {
      p.exp = '9999999999'
    }),
    selfIssued('type an object', (p) => {
      p.vc.type = { 0: 'VerifiableCredential' }
    }),
    selfIssued('credentialSubject deep', (p) => {
      let deep: Json = {}
      for (let i = 0; i < 2000; i++) deep = { a: deep }
      p.vc.credentialSubject = deep
    }),
    selfIssued('as is', () => {}),
    withStatus('missing', undefined),
    withStatus('null', null),
    withStatus('empty array', []),
    withStatus('an object', { ...realStatus }),
    withStatus('a string', 'x'),
    withStatus('[null]', [null]),
    withStatus('[{}]', [{}]),
    withStatus(
      '200 entries',
      Array.from({ length: 200 }, () => realStatus),
    ),
    withStatus(
      '20 entries of different lists',
      Array.from({ length: 20 }, (_, i) => ({
        ...realStatus,
        statusListCredential: `${ownLists}${group}x${i}/revocation`,
      })),
    ),
    ...statusUrls.map((url) =>
      withStatus(`list URL ${String(url).slice(0, 60)}`, entry({ statusListCredential: url })),
    ),
    ...['-1', '1e9', 'abc', '', '131071', '999999999999', ' 1', '0x10'].map((idx) =>
      withStatus(`index "${idx}"`, entry({ statusListIndex: idx })),
    ),
    ...[-1, 2 ** 40, 1.5, null].map((idx) => withStatus(`index ${idx}`, entry({ statusListIndex: idx }))),
    withStatus('purpose message', entry({ statusPurpose: 'message' })),
    withStatus('purpose __proto__', entry({ statusPurpose: '__proto__' })),
    withStatus('statusSize 2', entry({ statusSize: 2 })),
    withStatus('type StatusList2021Entry', entry({ type: 'StatusList2021Entry' })),
    fixed('SD-JWT without key binding', sd),
    fixed('a lone tilde', '~'),
    fixed('tildes', '~~~~'),
    fixed('SD-JWT garbage', 'a~b~c~'),
    fixed('SD-JWT with 5000 empty disclosures', `${sd}${'~'.repeat(5000)}`),
    fixed('SD-JWT issuer JWT alone with tilde', `${sdJwt}~`),
    {
      name: 'SD-JWT with a garbage disclosure',
      make: async (o) => `${await kb(o)}`.replace(`${sdJwt}~`, `${sdJwt}~garbage~`),
    },
    {
      name: 'SD-JWT with a __proto__ disclosure',
      make: (o) =>
        bindKey({
          sdJwt: `${sd}${encodeDisclosure(['salt', '__proto__', { polluted: 'yes' }])}~`,
          signer: patient.signer,
          nonce: o.nonce,
          audience: o.audience,
        }),
    },
    {
      name: 'SD-JWT with a deeply nested disclosure',
      make: (o) =>
        bindKey({
          sdJwt: `${sd}${b64(`["salt","x",${deepArrayJson(8000)}]`)}~`,
          signer: patient.signer,
          nonce: o.nonce,
          audience: o.audience,
        }),
    },
    {
      name: 'SD-JWT with 500 copies of a disclosure',
      make: async (o) => {
        const d = sd.split('~')[1] ?? ''
        return bindKey({
          sdJwt: `${sdJwt}~${`${d}~`.repeat(500)}`,
          signer: patient.signer,
          nonce: o.nonce,
          audience: o.audience,
        })
      },
    },
    {
      name: 'SD-JWT with an alg none key binding',
      make: async (o) =>
        `${sd}${b64(JSON.stringify({ alg: 'none', typ: 'kb+jwt' }))}.${b64(JSON.stringify({ iat: Math.floor(Date.now() / 1000), nonce: o.nonce, aud: o.audience }))}.`,
    },
    { name: 'SD-JWT bound by the wrong key', make: (o) => kb(o, { signer: clinician.signer }) },
    { name: 'SD-JWT key binding from year 33658', make: (o) => kb(o, { iat: 1e12 }) },
    { name: 'SD-JWT key binding with iat -1', make: (o) => kb(o, { iat: -1 }) },
    {
      name: 'SD-JWT key binding with odd claims',
      make: (o) =>
        signJwt({
          header: { alg: 'ES256K', typ: 'kb+jwt' },
          payload: { iat: 'now', aud: [o.audience], nonce: { n: o.nonce }, sd_hash: 1 },
          signer: patient.signer,
        }).then((k) => `${sd}${k}`),
    },
    {
      name: 'JWT VP with no credentials',
      make: (o) =>
        vp(o, (p) => {
          p.vp.verifiableCredential = []
        }),
    },
    {
      name: 'JWT VP of 40 credentials',
      make: (o) =>
        vp(o, (p) => {
          p.vp.verifiableCredential = Array(40).fill(licence)
        }),
    },
    {
      name: 'JWT VP with credentials a string',
      make: (o) =>
        vp(o, (p) => {
          p.vp.verifiableCredential = licence
        }),
    },
    {
      name: 'JWT VP with credentials null',
      make: (o) =>
        vp(o, (p) => {
          p.vp.verifiableCredential = null
        }),
    },
    {
      name: 'JWT VP with credential objects',
      make: (o) =>
        vp(o, (p) => {
          p.vp.verifiableCredential = [{ id: 'x' }, 1, null, [licence]]
        }),
    },
    {
      name: 'JWT VP with vp null',
      make: (o) =>
        vp(o, (p) => {
          p.vp = null
        }),
    },
    {
      name: 'JWT VP with vp an array',
      make: (o) =>
        vp(o, (p) => {
          p.vp = []
        }),
    },
    {
      name: 'JWT VP with a nested VP',
      make: async (o) => {
        const inner = await vp(o, () => {})
        return vp(o, (p) => {
          p.vp.verifiableCredential = [inner]
        })
      },
    },
    {
      name: 'JWT VP with aud an array',
      make: (o) =>
        vp(o, (p) => {
          p.aud = [o.audience, 'x']
        }),
    },
    {
      name: 'JWT VP with exp 1e300',
      make: (o) =>
        vp(o, (p) => {
          p.exp = 1e300
        }),
    },
    {
      name: 'JWT VP with iat in the future',
      make: (o) =>
        vp(o, (p) => {
          p.iat = 4e9
        }),
    },
    {
      name: 'JWT VP with exp a string',
      make: (o) =>
        vp(o, (p) => {
          p.exp = 'soon'
        }),
    },
    {
      name: 'JWT VP with holder mismatch',
      make: (o) =>
        vp(o, (p) => {
          p.vp.holder = { id: patient.did }
        }),
    },
    { name: 'JWT VP signed by another key', make: (o) => vp(o, () => {}, patient.signer) },
    {
      name: 'JWT VP with kid of 10 kB',
      make: (o) =>
        vp(o, (_, h) => {
          h.kid = 'k'.repeat(10_000)
        }),
    },
    {
      name: 'JWT VP with alg none',
      make: (o) =>
        vp(o, (_, h) => {
          h.alg = 'none'
        }),
    },
    {
      name: 'JWT VP with iss odd DID',
      make: (o) =>
        vp(o, (p) => {
          p.iss = 'did:ethr:0x7a69:0xZZ'
        }),
    },
    {
      name: 'JWT VP of hostile credentials',
      make: async (o) => {
        const creds = [
          alterJwt(licence, { header: { alg: 'none' }, signature: '' }),
          `${lh}.${b64(deepObjectJson(3000))}.${ls}`,
          await selfIssued('x', (p) => {
            p.vc.credentialStatus = entry({ statusListCredential: `${ownLists}dids/x` })
          }).make(o),
        ]
        return vp(o, (p) => {
          p.vp.verifiableCredential = creds
        })
      },
    },
  ]
}
