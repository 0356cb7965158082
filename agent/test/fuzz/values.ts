// Hostile and odd values for every part of a request: strings, dates, numbers, DIDs, path segments,
// JSON texts, content types, authorization headers and queries.
import type { Rng } from './rng'

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
