// JSON request bodies for the fuzz test: a valid-ish body changed by one mutation.

import type { Rng } from './rng'
import type { JsonSchema } from './schema'
import { excerpt } from './text'
import type { HostileToken } from './tokens'
import {
  deepArrayJson,
  deepObjectJson,
  HOSTILE_STRINGS,
  INVALID_JSON,
  LONG,
  ODD_CONTENT_TYPES,
  ODD_DATES,
  ODD_NUMBERS,
  oddDids,
  otherTypes,
} from './values'

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

/** How a JSON body is changed; repeated kinds are picked more often. */
export const JSON_MUTATIONS = [
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
export type JsonMutation = (typeof JSON_MUTATIONS)[number]

/** `valid` (a valid-ish body for `schema`) changed by `kind`, as JSON text. */
export async function jsonBody(
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
