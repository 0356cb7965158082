// Hostile credentials and presentations, made from real ones of the running agent.
import type { Signer } from '@clavis/crypto'
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
} from '../holders'
import { deepArrayJson, deepObjectJson } from './values'

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
