import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JSON_MUTATIONS, type JsonMutation, jsonBody } from './fuzz/bodies'
import { createFixtures, type Fixtures } from './fuzz/fixtures'
import { operationsOf } from './fuzz/operations'
import {
  type Failure,
  failureReport,
  type OperationRun,
  problemOf,
  runSummary,
  type Sent,
} from './fuzz/report'
import { hash32, Rng } from './fuzz/rng'
import { type JsonSchema, validish } from './fuzz/schema'
import { excerpt, wellFormed } from './fuzz/text'
import {
  encodedGarbage,
  HOSTILE_SEGMENTS,
  HOSTILE_STRINGS,
  INVALID_JSON,
  LONG,
  ODD_CONTENT_TYPES,
  ODD_QUERIES,
  oddAuthorizations,
  oddDids,
} from './fuzz/values'
import { startTestAgent, type TestAgent } from './harness'

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

type Who = 'anonymous' | 'staff' | 'other-staff' | 'operator' | 'odd-auth'

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
    fx = await createFixtures(t)
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
    const perOp: OperationRun[] = []

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
        const problem = problemOf(res.status, text)
        if (problem) {
          fail(problem, res.status, text)
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

    console.log(runSummary(SEED, perOp, Date.now() - started))
    expect(failures.length, failureReport(SEED, failures)).toBe(0)
  }, 120_000)
})
