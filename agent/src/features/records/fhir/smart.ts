import { isRecordType, RECORD_TYPES, type RecordType } from './definitions'
import { FhirRequestError } from './errors'

// SMART App Launch v2 resource scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html),
// limited to what a patient's record server needs: `patient/` context, the record types, no `?param` restrictions.

/** A SMART v2 permission: create, read, update, delete, search. */
export type ScopePermission = 'c' | 'r' | 'u' | 'd' | 's'

/** What a set of `patient/` scopes allows, per record type (`*` = every type). */
export type ScopeSet = ReadonlyMap<RecordType | '*', ReadonlySet<ScopePermission>>

/** Interactions a token may be checked for. */
export type ScopeInteraction = 'read' | 'search'

const SCOPE = /^(patient|user|system)\/(\*|[A-Za-z]+)\.([a-z*]+)(\?.*)?$/
const V2_PERMISSIONS = /^c?r?u?d?s?$/
/** SMART v1 permission words, as v2 letters. */
const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' }

interface ParsedScope {
  type: RecordType | '*' | undefined // undefined: a type this server does not hold
  permissions: string
}

/**
 * Parses the `patient/` resource scopes of an access token into a {@link ScopeSet}. Accepts
 * `patient/<Type|*>.<cruds>` (v2; letters in that order) and the v1 forms `.read` (= `rs`),
 * `.write` (= `cud`) and `.*` (= `cruds`). Entries may also be space-separated lists.
 *
 * @throws {FhirRequestError} 400 `invalid` naming the first scope that is not such a scope:
 * another context (`user/`, `system/`), a type not held here, a `?param` restriction, or junk.
 * @example
 * const scopes = parseScopes(['patient/Observation.rs', 'patient/Patient.r'])
 * allows(scopes, 'Observation', 'search') // true
 */
export function parseScopes(scopes: readonly string[]): ScopeSet {
  const set = new Map<RecordType | '*', Set<ScopePermission>>()
  for (const scope of split(scopes)) {
    const parsed = parseScope(scope)
    if (!parsed.type) {
      throw FhirRequestError.invalid(
        `Scope "${scope}" names a type this server does not hold: use one of ${RECORD_TYPES.join(', ')} or *.`,
        'scope',
      )
    }
    const permissions = set.get(parsed.type) ?? new Set<ScopePermission>()
    for (const p of parsed.permissions) permissions.add(p as ScopePermission)
    set.set(parsed.type, permissions)
  }
  return set
}

/**
 * Whether `scopes` allow reading (`r`) or searching (`s`) records of `type`.
 *
 * @example
 * allows(parseScopes(['patient/*.r']), 'Condition', 'search') // false: no `s`
 */
export function allows(scopes: ScopeSet, type: RecordType, interaction: ScopeInteraction): boolean {
  const letter = interaction === 'read' ? 'r' : 's'
  return Boolean(scopes.get(type)?.has(letter) || scopes.get('*')?.has(letter))
}

/**
 * The record scopes a token may carry for an access grant with these scopes: only `patient/`
 * context, only the record types held here (`*` expanded to each), only read and search
 * (`r`, `s`, `rs`), one canonical scope per type (`patient/Observation.rs`), sorted. Other scopes
 * (`openid`, `launch/patient`, `user/…`, `system/…`, types not held here, write-only) are left out.
 *
 * @throws {FhirRequestError} 400 `invalid` for a `patient/` scope that does not parse, or that has a
 * `?param` restriction (not supported: widening it would grant more than the grant says).
 * @example
 * recordScopesOf(['openid', 'patient/*.read', 'patient/Observation.cruds'])
 * // ['patient/AllergyIntolerance.rs', 'patient/Condition.rs', …, 'patient/Patient.rs']
 */
export function recordScopesOf(grantScopes: readonly string[]): string[] {
  const perType = new Map<RecordType, Set<string>>()
  for (const scope of split(grantScopes)) {
    if (!scope.startsWith('patient/')) continue
    const { type, permissions } = parseScope(scope)
    if (!type) continue
    const kept = [...permissions].filter((p) => p === 'r' || p === 's')
    for (const t of type === '*' ? RECORD_TYPES : [type]) {
      const set = perType.get(t) ?? new Set<string>()
      for (const p of kept) set.add(p)
      perType.set(t, set)
    }
  }
  return [...perType]
    .filter(([, p]) => p.size > 0)
    .map(([type, p]) => `patient/${type}.${p.has('r') ? 'r' : ''}${p.has('s') ? 's' : ''}`)
    .sort()
}

function parseScope(scope: string): ParsedScope {
  const match = SCOPE.exec(scope)
  if (!match) {
    throw FhirRequestError.invalid(
      `"${scope}" is not a SMART resource scope: write patient/<Type or *>.<permissions>, e.g. patient/Observation.rs.`,
      'scope',
    )
  }
  const [, context, type = '', written = '', restriction] = match
  if (context !== 'patient') {
    throw FhirRequestError.invalid(
      `Scope "${scope}" is for ${context} context: this server grants only patient/ scopes.`,
      'scope',
    )
  }
  if (restriction !== undefined) {
    throw FhirRequestError.invalid(
      `Scope "${scope}" has a restriction (${restriction}), which this server does not support: ask for ${scope.slice(0, -restriction.length)} instead.`,
      'scope',
    )
  }
  const permissions = V1_PERMISSIONS[written] ?? written
  if (permissions === '' || !V2_PERMISSIONS.test(permissions)) {
    throw FhirRequestError.invalid(
      `Scope "${scope}" has permissions "${written}": use letters of cruds in that order (e.g. rs), or read.`,
      'scope',
    )
  }
  return { type: type === '*' || isRecordType(type) ? type : undefined, permissions }
}

const split = (scopes: readonly string[]): string[] => scopes.flatMap((s) => s.split(/\s+/)).filter(Boolean)
