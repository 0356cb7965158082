// Valid-ish values from the OpenAPI document's JSON schemas, preferring real values of the running
// agent where they fit.
import type { Rng } from './rng'

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
