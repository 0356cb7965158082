import { ClavisError } from '@clavis/errors'
import { DcqlQuery } from 'dcql'

/** The credential formats a Clavis verifier asks for. */
const FORMATS = ['dc+sd-jwt', 'jwt_vc_json'] as const

/** A DCQL query that parsed and validated, with its credential queries' ids, formats and claim paths. */
export interface CheckedQuery {
  query: DcqlQuery
  credentials: { id: string; format: (typeof FORMATS)[number]; claims: (string | number | null)[][] }[]
}

/**
 * Parses and validates a DCQL query (OpenID4VP 1.0 §6) with the `dcql` library, and keeps it to
 * what Clavis verifies: `dc+sd-jwt` and `jwt_vc_json` credentials, each with `meta` (`vct_values`,
 * `type_values`), at most 8 credential queries. `invalid_request` says what is wrong.
 *
 * @example
 * const { query } = checkDcqlQuery({ credentials: [{ id: 'licence', format: 'dc+sd-jwt', meta: { vct_values: [vct] } }] })
 */
export function checkDcqlQuery(input: unknown): CheckedQuery {
  let query: DcqlQuery
  try {
    query = DcqlQuery.parse(input as DcqlQuery.Input)
    DcqlQuery.validate(query)
  } catch (error) {
    throw new ClavisError({
      code: 'invalid_request',
      message: `The DCQL query is not valid (OpenID4VP 1.0 §6): ${(error as Error).message.slice(0, 500)}`,
    })
  }
  if (query.credentials.length > 8)
    throw new ClavisError({
      code: 'invalid_request',
      message: 'Ask for at most 8 credentials in one request.',
    })
  const credentials = query.credentials.map((c) => {
    if (!(FORMATS as readonly string[]).includes(c.format))
      throw new ClavisError({
        code: 'invalid_request',
        message: `Credential query "${c.id}": Clavis verifies ${FORMATS.join(' and ')}, not ${c.format}.`,
      })
    return {
      id: c.id,
      format: c.format as (typeof FORMATS)[number],
      claims: (('claims' in c ? c.claims : undefined) ?? []).map((claim) =>
        'path' in claim ? [...(claim.path as (string | number | null)[])] : [],
      ),
    }
  })
  return { query, credentials }
}

/**
 * Only the claims at `paths` (DCQL claim paths), copied from `claims`; nothing else of the
 * credential. A path that steps into an array (an index, or `null` for every element) keeps that
 * claim whole (e.g. `["specialty", null, "code"]` keeps `specialty`). No paths: nothing.
 *
 * @example
 * pickClaims({ name: n, birthDate: d, address: a }, [['name']]) // { name: n }
 */
export function pickClaims(claims: unknown, paths: (string | number | null)[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const path of paths) {
    const names: string[] = []
    for (const step of path) {
      if (typeof step !== 'string') break
      names.push(step)
    }
    if (names.length === 0) continue
    const value = valueAt(claims, names)
    if (value === undefined) continue
    let node = out
    for (const name of names.slice(0, -1)) {
      const next = node[name]
      node[name] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}
      node = node[name] as Record<string, unknown>
    }
    node[names.at(-1)!] = value
  }
  return out
}

function valueAt(value: unknown, names: string[]): unknown {
  let node = value
  for (const name of names) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, name))
      return undefined
    node = (node as Record<string, unknown>)[name]
  }
  return node
}
