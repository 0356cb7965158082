// Compact JWTs a status-list upload must refuse.
import { deflateSync } from 'node:zlib'
import { base64urlEncode, base64urlJson, type Signer } from '@clavis/crypto'
import { deepObjectJson } from './values'

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
          '@context': [
            'https://www.w3.org/2018/credentials/v1',
            'https://www.w3.org/ns/credentials/status/v1',
          ],
          type: ['VerifiableCredential', 'BitstringStatusListCredential'],
          id: uri,
          issuer,
          credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bomb },
        },
      },
    ),
    await sign(
      { alg: 'ES256K', typ: 'vc+jwt', kid },
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        id: uri,
        issuer,
        validFrom: new Date(now * 1000).toISOString(),
        iat: now,
        credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: bomb },
      },
    ),
    await sign(
      { alg: 'ES256K', typ: 'JWT', kid },
      { iss: issuer, jti: uri, nbf: now, vc: { credentialSubject: { encodedList: 'u' } } },
    ),
  ]
}
