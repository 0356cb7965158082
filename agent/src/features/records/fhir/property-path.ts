import { getDataType, type InternalTypeSchema, type TypedValue, tryGetDataType } from '@medplum/core'
import type { Resource } from '@medplum/fhirtypes'

/** Reads the typed values a FHIRPath expression selects from a resource. */
export type ValuesOf = (resource: Resource) => TypedValue[]

interface Step {
  /** The JSON keys this step reads, with the FHIR type found there (several for a choice `x[x]`). */
  keys: { key: string; type: string }[]
}

const PART = /^\(?([A-Za-z]+(?:\.[A-Za-z]+)+)(?: as ([A-Za-z]+)|\.as\(([A-Za-z]+)\))?\)?$/

/**
 * Compiles a FHIRPath expression made of plain property paths (`Observation.code`,
 * `(Condition.onset.as(dateTime) | Condition.onset.as(Period))`,
 * `(MedicationStatement.medication as CodeableConcept)`) into a direct JSON reader, resolving
 * element types from the indexed schema once. Undefined for anything else (`where()`,
 * `resolve()`, …): evaluate those with @medplum/core's FHIRPath engine.
 *
 * Why: @medplum/core evaluates even `Observation.code` at about 3 µs per resource, which dominates
 * searching a patient's records; this reads it in a fraction of that.
 *
 * @example
 * compilePropertyPath('Observation', 'Observation.effective')?.(observation)
 * // [{ type: 'dateTime', value: '2024-03-05T10:00:00Z' }]
 */
export function compilePropertyPath(resourceType: string, expression: string): ValuesOf | undefined {
  const parts = unwrap(expression.trim()).split('|')
  const paths: Step[][] = []
  for (const part of parts) {
    const steps = compilePart(resourceType, part.trim())
    if (!steps) return undefined
    paths.push(steps)
  }
  return (resource) => {
    const out: TypedValue[] = []
    for (const steps of paths) read(resource, steps, 0, out)
    return out
  }
}

function compilePart(resourceType: string, part: string): Step[] | undefined {
  const match = PART.exec(part)
  if (!match?.[1]) return undefined
  const [root, ...names] = match[1].split('.')
  const as = match[2] ?? match[3]
  if (root !== resourceType || names.length === 0) return undefined
  let schema: InternalTypeSchema | undefined = getDataType(resourceType)
  let owner = schema // the resource or data type declaring the backbone types met on the way
  const steps: Step[] = []
  for (const [i, name] of names.entries()) {
    if (!schema) return undefined
    const last = i === names.length - 1
    const plain = schema.elements[name]
    const element = plain ?? schema.elements[`${name}[x]`]
    if (!element) return undefined
    const types = element.type.map((t) => t.code).filter((t) => !last || as === undefined || t === as)
    if (types.length === 0 || (!last && types.length > 1)) return undefined
    steps.push({
      keys: types.map((type) => ({
        key: plain ? name : name + type[0]?.toUpperCase() + type.slice(1),
        type,
      })),
    })
    if (last) break
    const next = types[0] as string
    const inner = owner.innerTypes.find((s) => s.name === next)
    schema = inner ?? tryGetDataType(next)
    if (!inner && schema) owner = schema
  }
  return steps
}

function read(value: unknown, steps: readonly Step[], i: number, out: TypedValue[]): void {
  const step = steps[i]
  if (!step) return
  const last = i === steps.length - 1
  for (const { key, type } of step.keys) {
    const found = (value as Record<string, unknown>)[key]
    if (found === undefined || found === null) continue
    for (const item of Array.isArray(found) ? found : [found]) {
      if (item === undefined || item === null) continue
      if (last) out.push({ type, value: item })
      else if (typeof item === 'object') read(item, steps, i + 1, out)
    }
  }
}

/** Removes parentheses around the whole expression. */
function unwrap(expression: string): string {
  let e = expression
  while (e.startsWith('(') && e.endsWith(')') && closes(e) === e.length - 1) e = e.slice(1, -1).trim()
  return e
}

/** The index of the parenthesis closing the one at 0. */
function closes(e: string): number {
  let depth = 0
  for (let i = 0; i < e.length; i++) {
    if (e[i] === '(') depth++
    else if (e[i] === ')' && --depth === 0) return i
  }
  return -1
}
