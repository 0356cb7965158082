import { ERROR_STATUS } from '@clavis/api'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { signTokenStatusListJwt, TokenStatusList } from '@clavis/status'
import { presentJwtVp } from '@clavis/verify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  deepArrayJson,
  deepObjectJson,
  encodedGarbage,
  HOSTILE_SEGMENTS,
  HOSTILE_STRINGS,
  type HostileToken,
  hash32,
  hostileJwts,
  hostileTokens,
  INVALID_JSON,
  type JsonSchema,
  type Knowledge,
  LONG,
  ODD_CONTENT_TYPES,
  ODD_DATES,
  ODD_NUMBERS,
  ODD_QUERIES,
  oddAuthorizations,
  oddDids,
  otherTypes,
  Rng,
  validish,
} from '../../test/fuzz'
import {
  CLINICIAN_DID,
  inDays,
  licenceClaims,
  PATIENT_DID,
  patientClaims,
  startTestAgent,
  type TestAgent,
} from '../../test/harness'
import { decodeJwt, holderKey } from '../../test/holders'

// Fuzzes every operation of the agent's own OpenAPI document (so a new endpoint is fuzzed without
// touching this file) with a bounded number of hostile requests, in-process on one real agent
// (embedded chain, real database). Fails once, at the end, listing every answer ≥ 500 and every
// 4xx whose body is not `{ code, message }` with a code of ERROR_STATUS matching the status.
//
// Reproduce a run with CLAVIS_FUZZ_SEED=<seed>; CLAVIS_FUZZ_CASES sets the requests per operation.

const SEED = Number(process.env.CLAVIS_FUZZ_SEED ?? 0x5eed_c1a5) >>> 0
const CASES = Math.max(8, Number(process.env.CLAVIS_FUZZ_CASES ?? 80))
/** A request that takes longer than this is reported as hanging. */
const REQUEST_TIMEOUT_MS = 20_000

type Org = { id: string; did: string; token: string }
type Who = 'anonymous' | 'staff' | 'other-staff' | 'operator' | 'odd-auth'

interface Operation {
  method: string
  path: string
  summary: string
  role: 'admin' | 'staff' | undefined
  params: string[]
  /** Documented query and header parameters (fuzzed too when there are any). */
  query: { name: string; schema: JsonSchema }[]
  headers: { name: string; schema: JsonSchema }[]
  /** JSON body schema, when the body is JSON. */
  schema: JsonSchema | undefined
  /** Media types of a raw (JWT) body. */
  rawTypes: string[] | undefined
}

interface Sent {
  method: string
  url: string
  who: string
  contentType: string | undefined
  body: string | undefined
  label: string
}

interface Failure extends Sent {
  op: string
  problem: string
  status: number | undefined
  response: string
  stack: string | undefined
}

interface Fixtures {
  orgs: { board: Org; hospital: Org }
  admin: string
  /** Real ids of each organisation's things, by path parameter name. */
  real: Record<'board' | 'hospital', Record<string, string[]>>
  /** Real values by path parameter name that belong to no organisation. */
  shared: Record<string, string[]>
  knowledge: Knowledge
  jwts: string[]
  /** A valid, newer status list for the uploaded-list URL each time it is called. */
  freshList: () => Promise<string>
  uploadPath: { did: string; name: string }
  /** Hostile credentials and presentations. */
  tokens: HostileToken[]
  /** Valid bodies by component schema name, for schemas whose fields depend on each other. */
  examples: Record<string, (home: 'board' | 'hospital', rng: Rng) => Promise<unknown>>
}

/** Whether `text` has no lone surrogates (encodeURIComponent throws on them). */
const wellFormed = (text: string) => {
  try {
    encodeURIComponent(text)
    return true
  } catch {
    return false
  }
}

const excerpt = (text: string | undefined, max = 240) =>
  text === undefined ? '(none)' : text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text

type Node = Record<string | number, unknown>
const copyOf = (v: unknown): Node =>
  (Array.isArray(v) ? [...v] : v && typeof v === 'object' ? { ...v } : {}) as Node

/** A copy of `root` with `value` at `path` (objects made where there are none). */
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  const [head, ...rest] = path
  if (head === undefined) return value
  const copy = copyOf(root)
  copy[head] = setAt(copy[head], rest, value)
  return copy
}

/** A copy of `root` without what is at `path`. */
function deleteAt(root: unknown, path: (string | number)[]): unknown {
  const [head, ...rest] = path
  if (head === undefined || !root || typeof root !== 'object') return root
  const copy = copyOf(root)
  if (rest.length === 0) delete copy[head]
  else copy[head] = deleteAt(copy[head], rest)
  return copy
}

/** Paths of every value inside `value` (up to depth 4), with the value found there. */
function pathsOf(
  value: unknown,
  prefix: (string | number)[] = [],
  depth = 0,
): [(string | number)[], unknown][] {
  if (depth > 4 || value === null || typeof value !== 'object') return []
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v] as [number, unknown])
    : Object.entries(value)
  return entries.flatMap(([k, v]) => [
    [[...prefix, k], v] as [(string | number)[], unknown],
    ...pathsOf(v, [...prefix, k], depth + 1),
  ])
}

const PLACEHOLDER = '\u0000fuzz-placeholder\u0000'
/** JSON text of `value` with the value at `path` replaced by raw JSON text `raw`. */
function withRaw(value: unknown, path: (string | number)[], raw: string): string {
  return JSON.stringify(setAt(value, path, PLACEHOLDER)).replace(JSON.stringify(PLACEHOLDER), raw)
}

const JSON_MUTATIONS = [
  'valid',
  'valid',
  'valid',
  'wrong-type',
  'wrong-type',
  'missing-required',
  'extra-field',
  'null-field',
  'null-body',
  'huge-string',
  'too-large',
  'exactly-limit',
  'huge-number',
  'deep-array',
  'deep-object',
  'array-body',
  'scalar-body',
  'odd-date',
  'negative',
  'unicode',
  'hostile-string',
  'proto-keys',
  'duplicate-keys',
  'hostile-token',
  'hostile-token',
  'invalid-json',
  'empty',
  'content-type',
] as const
type JsonMutation = (typeof JSON_MUTATIONS)[number]

/** `valid` (a valid-ish body for `schema`) changed by `kind`, as JSON text. */
async function jsonBody(
  kind: JsonMutation,
  valid: unknown,
  schema: JsonSchema,
  rng: Rng,
  nextToken: () => HostileToken,
  audienceOf: (verifier: unknown) => string,
): Promise<{ text: string; contentType: string | undefined; label: string }> {
  const json = (value: unknown, label: string) => ({
    text: JSON.stringify(value) ?? 'null',
    contentType: 'application/json',
    label,
  })
  const raw = (text: string, label: string) => ({ text, contentType: 'application/json', label })
  const paths = pathsOf(valid)
  const anyPath = () => (paths.length ? rng.pick(paths)[0] : [rng.pick(['a', 'id', 'x'])])
  const pathWhere = (test: (v: unknown) => boolean) => {
    const fit = paths.filter(([, v]) => test(v))
    return fit.length ? rng.pick(fit)[0] : anyPath()
  }
  const show = (p: (string | number)[]) => p.join('.') || '(root)'
  switch (kind) {
    case 'valid':
      return json(valid, 'valid-ish')
    case 'wrong-type': {
      const p = anyPath()
      const current = paths.find(([q]) => show(q) === show(p))?.[1]
      return json(setAt(valid, p, rng.pick(otherTypes(current))), `wrong type at ${show(p)}`)
    }
    case 'missing-required': {
      const required = (schema.required ?? []).filter((r) => valid && typeof valid === 'object' && r in valid)
      const p = required.length ? [rng.pick(required)] : anyPath()
      return json(paths.length ? deleteAt(valid, p) : {}, `without ${show(p)}`)
    }
    case 'extra-field': {
      const key = rng.pick(['extra', 'id', 'role', 'organisationId', 'admin', 'status', '', ' ', '$where'])
      const objects = paths.filter(([, v]) => !!v && typeof v === 'object' && !Array.isArray(v))
      const target = objects.length && rng.chance(0.5) ? rng.pick(objects)[0] : []
      return json(
        setAt(valid, [...target, key], rng.pick([1, 'x', true, null, {}])),
        `extra ${key} at ${show(target)}`,
      )
    }
    case 'null-field': {
      const p = anyPath()
      return json(setAt(valid, p, null), `null at ${show(p)}`)
    }
    case 'null-body':
      return raw('null', 'null body')
    case 'huge-string': {
      const p = pathWhere((v) => typeof v === 'string')
      return json(setAt(valid, p, rng.pick([LONG.k10, LONG.k60])), `huge string at ${show(p)}`)
    }
    case 'too-large': {
      const p = anyPath()
      return json(setAt(valid, p, LONG.k70), `over 64 KiB at ${show(p)}`)
    }
    case 'exactly-limit': {
      const base = JSON.stringify(setAt(valid, ['pad'], '')) ?? ''
      const pad = 64 * 1024 - Buffer.byteLength(base)
      return json(setAt(valid, ['pad'], 'p'.repeat(Math.max(0, pad))), 'exactly 64 KiB')
    }
    case 'huge-number': {
      const p = pathWhere((v) => typeof v === 'number')
      if (rng.chance(0.3)) {
        const lit = rng.pick([
          '1e999',
          '-1e999',
          '123456789012345678901234567890',
          '-0',
          '1E400',
          '0.0000001e-400',
        ])
        return raw(withRaw(valid, p, lit), `number literal ${lit} at ${show(p)}`)
      }
      const n = rng.pick(ODD_NUMBERS)
      return json(setAt(valid, p, n), `number ${String(n)} at ${show(p)}`)
    }
    case 'deep-array':
    case 'deep-object': {
      const depth = rng.pick([100, 1000, 5000, 12_000])
      const text = kind === 'deep-array' ? deepArrayJson(depth) : deepObjectJson(depth)
      if (rng.chance(0.2)) return raw(text, `${kind} ${depth} as body`)
      const p = anyPath()
      return raw(withRaw(valid, p, text), `${kind} ${depth} at ${show(p)}`)
    }
    case 'array-body':
      return json(rng.pick([[], [valid], [[valid]], [null]]), 'array body')
    case 'scalar-body':
      return raw(rng.pick(['"text"', '42', 'true', '""', '-1', '1e999']), 'scalar body')
    case 'odd-date': {
      const dateFields = Object.entries(schema.properties ?? {})
        .filter(([, s]) => s.format === 'date-time')
        .map(([name]) => [name])
      const p =
        dateFields.length && rng.chance(0.8) ? rng.pick(dateFields) : pathWhere((v) => typeof v === 'string')
      const d = rng.pick(ODD_DATES)
      return json(setAt(valid, p, d), `date ${d} at ${show(p)}`)
    }
    case 'negative': {
      const p = pathWhere((v) => typeof v === 'number')
      const n = rng.pick([-1, -60, -1e9, -0.5, Number.MIN_SAFE_INTEGER])
      return json(setAt(valid, p, n), `negative ${n} at ${show(p)}`)
    }
    case 'unicode': {
      const p = pathWhere((v) => typeof v === 'string')
      const u = rng.pick(['\ud800', '😀👩‍⚕️', '\u202eevil', 'é', '\u0000', '\ufeff', 'Ω≈ç√', 'ﬀ'.repeat(3000)])
      return json(setAt(valid, p, u), `unicode at ${show(p)}`)
    }
    case 'hostile-string': {
      const p = pathWhere((v) => typeof v === 'string')
      const s = rng.pick([...HOSTILE_STRINGS, ...oddDids('0x0000000000000000000000000000000000000001')])
      return json(setAt(valid, p, s), `hostile string at ${show(p)}: ${excerpt(s, 40)}`)
    }
    case 'proto-keys': {
      const inject = rng.pick([
        '"__proto__":{"admin":true,"role":"admin","polluted":"yes"}',
        '"constructor":{"prototype":{"polluted":"yes"}}',
        '"__proto__":null',
        '"__proto__":[]',
        '"toString":"x","valueOf":1,"hasOwnProperty":"x"',
      ])
      const objects = paths.filter(([, v]) => !!v && typeof v === 'object' && !Array.isArray(v))
      const text = JSON.stringify(valid) ?? 'null'
      if (objects.length && rng.chance(0.5)) {
        const [p, v] = rng.pick(objects)
        const inner = JSON.stringify(v)
        const replaced = inner === '{}' ? `{${inject}}` : `{${inject},${inner.slice(1)}`
        return raw(withRaw(valid, p, replaced), `prototype keys at ${show(p)}`)
      }
      if (!text.startsWith('{')) return raw(`{${inject}}`, 'prototype keys')
      return raw(text === '{}' ? `{${inject}}` : `{${inject},${text.slice(1)}`, 'prototype keys at (root)')
    }
    case 'duplicate-keys': {
      const text = JSON.stringify(valid) ?? 'null'
      const keys = valid && typeof valid === 'object' ? Object.keys(valid) : []
      if (!text.startsWith('{') || keys.length === 0) return raw('{"a":1,"a":2}', 'duplicate keys')
      const key = rng.pick(keys)
      return raw(
        `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(rng.pick(otherTypes(null)))}}`,
        `duplicate ${key}`,
      )
    }
    case 'hostile-token': {
      // A credential or presentation field gets a hostile token (made for the body's nonce and verifier).
      const tokenFields = paths.filter(
        ([p, v]) => typeof v === 'string' && /^(credential|presentation)$/.test(String(p.at(-1))),
      )
      const p = tokenFields.length ? rng.pick(tokenFields)[0] : pathWhere((v) => typeof v === 'string')
      const body = (valid ?? {}) as { nonce?: unknown; verifier?: unknown }
      const token = nextToken()
      const made = await token.make({
        nonce: typeof body.nonce === 'string' ? body.nonce : 'n'.repeat(32),
        audience: audienceOf(body.verifier),
      })
      return json(setAt(valid, p, made), `${token.name} at ${show(p)}`)
    }
    case 'invalid-json':
      return raw(rng.pick(INVALID_JSON), 'invalid JSON')
    case 'empty':
      return raw('', 'empty body')
    case 'content-type': {
      const type = rng.pick(ODD_CONTENT_TYPES)
      return { text: JSON.stringify(valid) ?? '', contentType: type, label: `content type ${type}` }
    }
  }
}

/** The operations of the OpenAPI document. */
function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const ops: Operation[] = []
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const declared =
        (op.parameters as { name: string; in: string; schema?: JsonSchema }[] | undefined) ?? []
      const params = declared.filter((p) => p.in === 'path').map((p) => p.name)
      const named = (where: string) =>
        declared.filter((p) => p.in === where).map((p) => ({ name: p.name, schema: p.schema ?? {} }))
      const content = (op.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)
        ?.content
      const types = Object.keys(content ?? {})
      ops.push({
        method: method.toUpperCase(),
        path,
        summary: String(op.summary ?? ''),
        role: op['x-clavis-role'] as Operation['role'],
        params,
        query: named('query'),
        headers: named('header'),
        schema: content?.['application/json']?.schema,
        rawTypes: types.length && !content?.['application/json'] ? types : undefined,
      })
    }
  }
  // What cannot be undone goes last, so it does not hide the rest (e.g. a deactivated DID refuses writes).
  const last = (o: Operation) => (/irreversible/i.test(o.summary) ? 1 : 0)
  return ops.sort((a, b) => last(a) - last(b))
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestAgent
  let fx: Fixtures
  let lastError: Error | undefined

  beforeAll(async () => {
    t = await startTestAgent()
    // Sees the error behind a 500 (the agent logs only its message) for the report; answers as before.
    const app = t.agent.app as unknown as { errorHandler: (err: Error, c: unknown) => unknown }
    const original = app.errorHandler
    app.errorHandler = (err, c) => {
      lastError = err
      return original(err, c)
    }
    const must = async (method: string, path: string, o: Parameters<TestAgent['request']>[2]) => {
      const res = await t.request(method, path, o)
      if (res.status >= 300)
        throw new Error(`fixture ${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
      return res.body
    }
    const clinician = holderKey()
    const patient = holderKey()
    const { board, hospital } = t
    const licence = await must('POST', `/v1/organisations/${board.id}/credentials`, {
      token: board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject: clinician.did,
        claims: licenceClaims(),
        validUntil: inDays(365),
      },
    })
    const identity = await must('POST', `/v1/organisations/${hospital.id}/credentials`, {
      token: hospital.token,
      body: {
        type: 'PatientIdentityCredential',
        format: 'dc+sd-jwt',
        holderJwk: patient.jwk,
        subject: patient.did,
        claims: patientClaims(),
        validUntil: inDays(365),
      },
    })
    await must('POST', `/v1/organisations/${hospital.id}/trust`, {
      token: hospital.token,
      body: { issuer: board.did, types: ['ClinicianLicenseCredential'] },
    })
    // The hospital trusts a holder key as an issuer too, so that self-issued licences get their status checked.
    await must('POST', `/v1/organisations/${hospital.id}/trust`, {
      token: hospital.token,
      body: { issuer: clinician.did, types: ['ClinicianLicenseCredential'] },
    })
    await must('POST', `/v1/organisations/${board.id}/trust`, {
      token: board.token,
      body: { issuer: hospital.did, types: ['PatientIdentityCredential'] },
    })
    // More credentials to change the status of.
    const issued: { id: string; jwt: string }[] = []
    for (const [org, holder, type, claims] of [
      [board, clinician, 'ClinicianLicenseCredential', licenceClaims()],
      [board, clinician, 'ClinicianLicenseCredential', licenceClaims()],
      [hospital, patient, 'PatientIdentityCredential', patientClaims()],
      [hospital, patient, 'PatientIdentityCredential', patientClaims()],
    ] as const) {
      issued.push(
        await must('POST', `/v1/organisations/${org.id}/credentials`, {
          token: org.token,
          body: { type, subject: holder.did, claims, validUntil: inDays(365) },
        }),
      )
    }
    const boardKey = await must('POST', `/v1/organisations/${board.id}/did/keys`, {
      token: board.token,
      body: {},
    })
    const hospitalKey = await must('POST', `/v1/organisations/${hospital.id}/did/keys`, {
      token: hospital.token,
      body: {},
    })
    const asks = await Promise.all(
      [1, 2, 3].map(() =>
        must('POST', `/v1/organisations/${hospital.id}/presentation-requests`, {
          token: hospital.token,
          body: {},
        }),
      ),
    )
    const vp = await presentJwtVp({
      credentials: [licence.jwt],
      holder: clinician.did,
      kid: clinician.kid,
      signer: clinician.signer,
      nonce: asks[0].nonce,
      audience: asks[0].audience,
    })
    const sdPresentation = await presentSdJwtVc({
      credential: identity.jwt,
      disclose: ['birthDate'],
      keyBinding: { alg: 'ES256K', signer: patient.signer, nonce: asks[1].nonce, audience: asks[1].audience },
    })
    // The status list groups, from the credentials' status entries.
    const groupOf = (url: string) => new URL(url).pathname.split('/')[3]!
    const licenceStatus = decodeJwt(licence.jwt).payload.vc.credentialStatus as {
      statusListCredential: string
    }[]
    const identityStatus = decodeJwt(identity.jwt.split('~')[0]).payload.status.status_list.uri as string
    // A patient's uploaded list (the raw-JWT endpoint), and ever newer ones.
    const upload = { did: patient.did, name: 'grants' }
    const uri = `${t.agent.ctx.publicUrl}/v1/status-lists/dids/${upload.did}/${upload.name}`
    let iat = Math.floor(Date.now() / 1000) - 120
    const freshList = () =>
      signTokenStatusListJwt({
        issuer: patient.did,
        kid: patient.kid,
        alg: 'ES256K',
        signer: patient.signer,
        uri,
        list: TokenStatusList.create({ size: 131_072, bits: 2 }),
        iat: new Date(++iat * 1000),
        ttlSeconds: 300,
        expiresInSeconds: 86_400,
      })
    const first = await freshList()
    const created = await t.request('PUT', new URL(uri).pathname, {
      raw: first,
      headers: { 'content-type': 'application/statuslist+jwt' },
    })
    if (created.status !== 201) throw new Error(`fixture upload: ${created.status}`)
    const validList = decodeJwt(first).payload.status_list.lst as string
    const jwts = await hostileJwts({
      signer: patient.signer,
      kid: patient.kid,
      issuer: patient.did,
      uri,
      now: Math.floor(Date.now() / 1000),
      validList,
    })
    const orgOf = (o: typeof board): Org => ({ id: o.id, did: o.did, token: o.token })
    fx = {
      orgs: { board: orgOf(board), hospital: orgOf(hospital) },
      admin: t.admin,
      real: {
        board: {
          id: [board.id],
          credentialId: [licence.id, issued[0]!.id, issued[1]!.id],
          kid: [boardKey.kid],
          issuer: [hospital.did],
          group: licenceStatus.map((s) => groupOf(s.statusListCredential)),
          did: [board.did],
        },
        hospital: {
          id: [hospital.id],
          credentialId: [identity.id, issued[2]!.id, issued[3]!.id],
          kid: [hospitalKey.kid],
          issuer: [board.did],
          group: [groupOf(identityStatus)],
          did: [hospital.did],
        },
      },
      shared: {
        did: [patient.did, clinician.did, CLINICIAN_DID, PATIENT_DID],
        name: ['grants', 'revocation', 'suspension', 'token'],
      },
      knowledge: {
        schemas: {},
        byName: {
          claims: [licenceClaims(), patientClaims(), {}],
          subject: [clinician.did, patient.did, CLINICIAN_DID, PATIENT_DID],
          holderJwk: [clinician.jwk, patient.jwk],
          issuer: [board.did, hospital.did, clinician.did],
          verifier: [board.id, hospital.id],
          credential: [licence.jwt, identity.jwt],
          presentation: [vp, sdPresentation],
          nonce: asks.map((a) => a.nonce),
          requestSecret: asks.map((a) => a.requestSecret),
        },
        strings: [
          board.id,
          hospital.id,
          board.did,
          hospital.did,
          clinician.did,
          patient.did,
          licence.id,
          licence.jwt,
          identity.jwt,
          vp,
          clinician.jwk.x,
          clinician.jwk.y,
          'LinkedDomains',
          'https://example.org/clavis',
          'http://localhost:8080/x',
        ],
      },
      jwts,
      tokens: hostileTokens({
        licence: licence.jwt,
        identity: identity.jwt,
        clinician,
        patient,
        ownLists: `${t.agent.ctx.publicUrl}/v1/status-lists/`,
        group: groupOf(licenceStatus[0]!.statusListCredential),
      }),
      freshList,
      uploadPath: upload,
      examples: {
        IssueCredentialRequest: async (home, rng) => {
          const sd = rng.chance(0.4)
          const holder = home === 'board' ? clinician : patient
          return {
            type: home === 'board' ? 'ClinicianLicenseCredential' : 'PatientIdentityCredential',
            subject: holder.did,
            claims: home === 'board' ? licenceClaims() : patientClaims(),
            ...(sd ? { format: 'dc+sd-jwt', holderJwk: holder.jwk } : {}),
            ...(rng.chance(0.5) ? { validFrom: inDays(rng.between(-5, 5)) } : {}),
            ...(rng.chance(0.7) ? { validUntil: inDays(rng.between(10, 700)) } : {}),
          }
        },
        TrustEntryRequest: async (home, rng) => ({
          issuer: rng.pick([home === 'board' ? hospital.did : board.did, clinician.did, patient.did]),
          types: rng.pick([
            ['ClinicianLicenseCredential'],
            ['PatientIdentityCredential', 'AccessGrantCredential'],
          ]),
        }),
        VerifyRequest: async (home, rng) => ({
          credential: rng.pick([licence.jwt, identity.jwt, ...issued.map((c) => c.jwt)]),
          ...(rng.chance(0.8) ? { verifier: fx.orgs[home].id } : {}),
        }),
        // A fresh nonce and a presentation made for it (nonces are single use).
        VerifyPresentationRequest: async (home, rng) => {
          const verifier = fx.orgs[home]
          const ask = await t.request('POST', `/v1/organisations/${verifier.id}/presentation-requests`, {
            token: verifier.token,
            body: {},
          })
          if (ask.status !== 201)
            return validish({ $ref: '#/components/schemas/VerifyPresentationRequest' }, fx.knowledge, rng)
          const { nonce, audience, requestSecret } = ask.body
          const presentation = rng.chance(0.5)
            ? await presentJwtVp({
                credentials: [licence.jwt],
                holder: clinician.did,
                kid: clinician.kid,
                signer: clinician.signer,
                nonce,
                audience,
              })
            : await presentSdJwtVc({
                credential: identity.jwt,
                disclose: rng.pick([['birthDate'], [], ['name', 'identifier']]),
                keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience },
              })
          return { presentation, verifier: verifier.id, nonce, requestSecret }
        },
      },
    }
  })

  afterAll(async () => {
    await t?.stop()
  })

  it(`sends ${CASES} hostile requests per operation; none is answered 5xx or with a malformed error`, async () => {
    const started = Date.now()
    const docRes = await t.agent.app.request('/v1/openapi.json')
    expect(docRes.status).toBe(200)
    const doc = (await docRes.json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>
      components: { schemas: Record<string, JsonSchema> }
    }
    fx.knowledge.schemas = doc.components.schemas
    const ops = operationsOf(doc)
    const audienceOf = (verifier: unknown) =>
      Object.values(fx.orgs).find((o) => o.id === verifier)?.did ?? fx.orgs.hospital.did
    const resolved = (schema: JsonSchema): JsonSchema =>
      schema.$ref
        ? (doc.components.schemas[schema.$ref.replace('#/components/schemas/', '')] ?? schema)
        : schema
    expect(ops.length).toBeGreaterThan(20)

    // One deck of hostile tokens for the run, so the operations that take them share out all of them.
    const tokenDeck = new Rng(SEED).shuffle(fx.tokens)
    let tokenAt = 0
    const nextToken = () => tokenDeck[tokenAt++ % tokenDeck.length]!
    const failures: Failure[] = []
    const perOp: {
      op: string
      sent: number
      skipped: number
      statuses: Record<number, number>
      ms: number
    }[] = []

    for (const op of ops) {
      const opName = `${op.method} ${op.path}`
      const rng = new Rng(SEED ^ hash32(opName))
      const opStarted = Date.now()
      const statuses: Record<number, number> = {}
      let skipped = 0
      const rightWho: Who = op.role === 'admin' ? 'operator' : op.role === 'staff' ? 'staff' : 'anonymous'
      const whoDeck = rng.deck<Who>(['anonymous', 'staff', 'other-staff', 'operator', 'odd-auth'], CASES)
      // Operations that take a credential or presentation get many more hostile tokens.
      const tokenFields = Object.keys(resolved(op.schema ?? {}).properties ?? {}).filter((n) =>
        /^(credential|presentation)$/.test(n),
      )
      const jsonDeck = rng.deck(
        [
          ...JSON_MUTATIONS,
          ...(tokenFields.length ? Array<JsonMutation>(JSON_MUTATIONS.length).fill('hostile-token') : []),
        ],
        CASES,
      )
      const jwtDeck = rng.deck([...fx.jwts.map((_, i) => i), -1, -1, -1, -2, -2, -3, -4, -5], CASES)
      // A quarter of the cases sweep principals with a valid-ish request; the rest mutate as the right one.
      const sweep = Math.ceil(CASES / 4)

      for (let i = 0; i < CASES; i++) {
        const homeName = rng.pick(['board', 'hospital'] as const)
        const home = fx.orgs[homeName]
        const other = fx.orgs[homeName === 'board' ? 'hospital' : 'board']
        const labels: string[] = []
        const mutating = i >= sweep
        const who: Who = !mutating ? whoDeck[i]! : rng.chance(0.8) ? rightWho : whoDeck[i]!

        // Path parameters: real values of the home organisation, or hostile ones.
        const realValue = (name: string, of: 'board' | 'hospital') => {
          const own = fx.real[of][name]
          const shared = fx.shared[name]
          if (name === 'did' && op.path.startsWith('/v1/status-lists/dids/')) return fx.uploadPath.did
          if (name === 'name' && op.path.startsWith('/v1/status-lists/dids/')) return fx.uploadPath.name
          if (name === 'name') return rng.pick(['revocation', 'suspension', 'token'])
          const pool = [...(own ?? []), ...(shared ?? [])]
          if (pool.length) return rng.pick(pool)
          return rng.pick(Object.values(fx.real[of]).flat())
        }
        const values: Record<string, string> = {}
        for (const name of op.params) values[name] = encodeURIComponent(realValue(name, homeName))
        const mutatePath = op.params.length > 0 && (mutating ? rng.chance(0.3) : rng.chance(0.1))
        if (mutatePath) {
          // The last parameter most often: the first (the organisation) is checked before anything else.
          const name = rng.chance(0.6) ? op.params.at(-1)! : rng.pick(op.params)
          const kind = rng.pick(['segment', 'segment', 'did', 'foreign', 'garbage', 'string'] as const)
          const address = `0x${fx.orgs.board.did.split(':').pop()!.slice(2, 42).padEnd(40, '0')}`
          let value: string
          if (kind === 'segment') value = rng.pick(HOSTILE_SEGMENTS)
          else if (kind === 'did') value = rng.pick(oddDids(address))
          else if (kind === 'foreign') value = realValue(name, homeName === 'board' ? 'hospital' : 'board')
          else if (kind === 'garbage') value = encodedGarbage(rng, rng.between(1, 30))
          else value = rng.pick(HOSTILE_STRINGS)
          // encodeURIComponent refuses lone surrogates: those go in raw (the URL parser encodes them).
          const encode = kind !== 'garbage' && rng.chance(0.5) && wellFormed(value)
          values[name] = encode ? encodeURIComponent(value) : value
          labels.push(`path ${name}=${encode ? 'encoded ' : ''}${kind} ${excerpt(value, 40)}`)
        }
        let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '')
        // Documented query parameters: valid-ish values, or hostile ones; else odd queries of any kind.
        const query: string[] = []
        for (const q of op.query) {
          if (!rng.chance(0.4)) continue
          const value =
            mutating && rng.chance(0.6) ? rng.pick(HOSTILE_STRINGS) : validish(q.schema, fx.knowledge, rng)
          query.push(
            `${encodeURIComponent(q.name)}=${wellFormed(String(value)) ? encodeURIComponent(String(value)) : 'x'}`,
          )
        }
        if (mutating ? rng.chance(0.2) : rng.chance(0.05)) query.push(rng.pick(ODD_QUERIES).slice(1))
        if (query.length) {
          url += `?${query.join('&')}`
          labels.push(`query ${excerpt(query.join('&'), 60)}`)
        }

        // Who is asking.
        const headers: Record<string, string> = {}
        let whoLabel: string = who
        if (who === 'staff') headers.authorization = `Bearer ${home.token}`
        else if (who === 'other-staff') headers.authorization = `Bearer ${other.token}`
        else if (who === 'operator') headers.authorization = `Bearer ${fx.admin}`
        else if (who === 'odd-auth') {
          const base = rightWho === 'operator' ? fx.admin : home.token
          const value = rng.pick(oddAuthorizations(base, other.token))
          headers.authorization = value
          whoLabel = `authorization "${excerpt(value, 60)}"`
        }

        // The body.
        let body: string | undefined
        let contentType: string | undefined
        if (op.schema) {
          const kind = mutating ? jsonDeck[i]! : 'valid'
          // Valid bodies from fixtures where fields depend on each other (half the time), else from the schema.
          const ref = op.schema.$ref?.replace('#/components/schemas/', '')
          const example = ref ? fx.examples[ref] : undefined
          const valid =
            example && rng.chance(0.5) ? await example(homeName, rng) : validish(op.schema, fx.knowledge, rng)
          const b = await jsonBody(kind, valid, resolved(op.schema), rng, nextToken, audienceOf)
          body = b.text
          contentType = b.contentType
          labels.push(b.label)
        } else if (op.rawTypes) {
          const pick = mutating ? jwtDeck[i]! : -1
          const type = rng.pick(op.rawTypes)
          if (pick >= 0) {
            body = fx.jwts[pick]
            contentType = rng.chance(0.85) ? type : rng.pick(ODD_CONTENT_TYPES)
            labels.push(`hostile JWT #${pick}`)
          } else if (pick === -1) {
            body = rng.chance(0.7) ? await fx.freshList() : rng.pick(fx.jwts)
            contentType = type
            if (rng.chance(0.3)) body = `  \n${body}\n `
            labels.push('signed list')
          } else if (pick === -2) {
            body = await fx.freshList()
            contentType = rng.pick([...ODD_CONTENT_TYPES, 'application/jwt-x', 'application/vc+jwt+json'])
            labels.push(`signed list as ${contentType}`)
          } else if (pick === -3) {
            body = `${await fx.freshList()}${'='.repeat(70_000)}`
            contentType = type
            labels.push('over 64 KiB')
          } else if (pick === -4) {
            body = rng.pick(INVALID_JSON)
            contentType = type
            labels.push('JSON garbage as JWT')
          } else {
            body = JSON.stringify({ jwt: await fx.freshList() })
            contentType = 'application/json'
            labels.push('JSON-wrapped JWT')
          }
        } else if (op.method !== 'GET' && op.method !== 'HEAD' && mutating && rng.chance(0.35)) {
          const kind = rng.pick(['json', 'invalid', 'large', 'text'] as const)
          body =
            kind === 'json'
              ? '{"__proto__":{"admin":true},"id":"x"}'
              : kind === 'invalid'
                ? rng.pick(INVALID_JSON)
                : kind === 'large'
                  ? LONG.k70
                  : 'plain text'
          contentType = kind === 'text' ? 'text/plain' : 'application/json'
          labels.push(`unexpected ${kind} body`)
        }
        if (contentType !== undefined) headers['content-type'] = contentType
        // Documented header parameters (e.g. an idempotency key): valid-ish, hostile, or absent.
        for (const h of op.headers) {
          if (!rng.chance(0.5)) continue
          const value =
            mutating && rng.chance(0.6) ? rng.pick(HOSTILE_STRINGS) : validish(h.schema, fx.knowledge, rng)
          // Only what a client can send at all (Latin-1, no control characters but tab).
          if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(String(value))) continue
          headers[h.name.toLowerCase()] = String(value)
          labels.push(`header ${h.name}: ${excerpt(String(value), 40)}`)
        }

        const sent: Sent = {
          method: op.method,
          url,
          who: whoLabel,
          contentType,
          body,
          label: labels.join('; '),
        }
        let request: Request
        try {
          request = new Request(`http://localhost${url}`, {
            method: op.method,
            headers,
            ...(body === undefined ? {} : { body }),
          })
        } catch {
          // The client refuses to build it (e.g. a header byte outside Latin-1): nothing reaches the agent.
          skipped++
          continue
        }
        lastError = undefined
        const fail = (problem: string, status: number | undefined, response: string) =>
          failures.push({
            ...sent,
            op: opName,
            problem,
            status,
            response,
            // The error's message (cut short: some carry whole transaction receipts) and where it was thrown.
            stack: lastError
              ? [
                  excerpt(`${lastError.name}: ${lastError.message}`, 300),
                  ...(lastError.stack ?? '')
                    .split('\n')
                    .filter((l) => /^\s+at /.test(l))
                    .slice(0, 7),
                ].join('\n')
              : undefined,
          })
        let res: Response
        try {
          let timer: NodeJS.Timeout | undefined
          const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)),
              REQUEST_TIMEOUT_MS,
            )
          })
          try {
            res = await Promise.race([Promise.resolve(t.agent.app.request(request)), timeout])
          } finally {
            clearTimeout(timer)
          }
        } catch (e) {
          // Outside the app's error handler: a real server would answer 500 or drop the connection.
          lastError = e as Error
          fail('the app threw instead of answering', undefined, String((e as Error).message))
          continue
        }
        const text = await res.text()
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
        if (res.status >= 500) {
          fail(`status ${res.status}`, res.status, text)
        } else if (res.status >= 400) {
          let parsed: unknown
          try {
            parsed = JSON.parse(text)
          } catch {
            parsed = undefined
          }
          const p = parsed as { code?: unknown; message?: unknown } | undefined
          const code = typeof p?.code === 'string' ? p.code : undefined
          if (!p || typeof p !== 'object' || Array.isArray(p))
            fail('4xx body is not a JSON object', res.status, text)
          else if (!code || !Object.hasOwn(ERROR_STATUS, code))
            fail('4xx code is not one of ERROR_STATUS', res.status, text)
          else if (typeof p.message !== 'string' || p.message.length === 0)
            fail('4xx without a message', res.status, text)
          else if (ERROR_STATUS[code as keyof typeof ERROR_STATUS] !== res.status)
            fail(
              `4xx code ${code} maps to ${ERROR_STATUS[code as keyof typeof ERROR_STATUS]}`,
              res.status,
              text,
            )
        } else if (res.status >= 200 && res.status < 300) {
          // A replaced staff token replaces the one this run uses.
          try {
            const got = JSON.parse(text) as { token?: unknown }
            const path = url.split('?')[0]!
            if (op.method === 'POST' && typeof got.token === 'string' && /\/token$/.test(op.path)) {
              for (const org of Object.values(fx.orgs)) if (path.includes(org.id)) org.token = got.token
            }
          } catch {
            // Status lists are JWTs, not JSON.
          }
        }
      }
      perOp.push({ op: opName, sent: CASES - skipped, skipped, statuses, ms: Date.now() - opStarted })
    }

    // Hostile keys must not have reached Object.prototype.
    const probe = {} as Record<string, unknown>
    for (const key of ['polluted', 'admin', 'role']) {
      if (probe[key] !== undefined) {
        failures.push({
          op: '(process)',
          method: '-',
          url: '-',
          who: '-',
          contentType: undefined,
          body: undefined,
          label: '',
          problem: `Object.prototype.${key} was polluted`,
          status: undefined,
          response: String(probe[key]),
          stack: undefined,
        })
      }
    }

    const total = perOp.reduce((n, o) => n + o.sent, 0)
    const summary = perOp
      .map(
        (o) =>
          `  ${o.op.padEnd(62)} ${String(o.sent).padStart(3)} sent ${String(o.ms).padStart(6)} ms  ${Object.entries(
            o.statuses,
          )
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      )
      .join('\n')
    console.log(
      `fuzz seed ${SEED}: ${ops.length} operations, ${total} requests in ${Date.now() - started} ms\n${summary}`,
    )
    const report = failures
      .map(
        (f, n) =>
          `#${n + 1} ${f.problem} — ${f.op}\n` +
          `   ${f.method} ${excerpt(f.url, 200)} as ${f.who}\n` +
          `   mutation: ${f.label || '(none)'}; content-type: ${f.contentType ?? '(none)'}\n` +
          `   body: ${excerpt(f.body, 200)}\n` +
          `   answer ${f.status ?? '-'}: ${excerpt(f.response, 300)}` +
          (f.stack ? `\n   error: ${f.stack.replace(/\n/g, '\n     ')}` : ''),
      )
      .join('\n')
    // The same fault behind many answers is listed once on top, then every answer in full.
    const groups = new Map<string, number>()
    for (const f of failures) {
      const key = `${f.problem} — ${f.op} — ${excerpt(f.stack?.split('\n')[0] ?? f.response, 120)}`
      groups.set(key, (groups.get(key) ?? 0) + 1)
    }
    const grouped = [...groups].map(([key, n]) => `  ${String(n).padStart(4)}× ${key}`).join('\n')
    expect(
      failures.length,
      `${failures.length} bad answers (seed ${SEED}; rerun with CLAVIS_FUZZ_SEED=${SEED}):\n${grouped}\n\n${report}`,
    ).toBe(0)
  }, 120_000)
})
