import { fail, isObject, ok } from '@clavis/crypto'
import type { Resolvable } from 'did-resolver'
import { checkKeyOfDid } from './checkKeyOfDid'
import type { Presenter } from './presentationParts'
import type { CheckOutcome } from './types'

const idOf = (value: unknown): unknown => (isObject(value) ? value.id : value)

/**
 * The format-neutral holder binding: every credential is the presenter's. A presenter known by DID
 * (a JWT VP's signer) must be every credential's subject, and every field naming a holder (a
 * string, or an object with `id`) must name it. A presenter known by key (an SD-JWT VC's `cnf`,
 * proven by the KB-JWT) must hold an authentication key of every subject that is a DID. Otherwise
 * `holder_mismatch`; a presenter that could not be established gives its own failure. Never throws.
 *
 * @example
 * await checkHolderBinding({ presenter: ok({ did: iss }), namedHolders: { sub }, subjects: ['did:…'], resolver })
 */
export async function checkHolderBinding(options: {
  presenter: CheckOutcome<Presenter>
  namedHolders: Record<string, unknown>
  subjects: readonly (string | undefined)[]
  resolver: Resolvable
}): Promise<CheckOutcome> {
  const { presenter } = options
  if (!presenter.ok) return presenter
  if ('did' in presenter.value) {
    const { did } = presenter.value
    for (const [field, value] of Object.entries(options.namedHolders)) {
      const named = idOf(value)
      if (named !== undefined && named !== did)
        return fail(
          'holder_mismatch',
          `The presentation's ${field} names ${String(named)}, not its signer ${did}.`,
        )
    }
    const foreign = options.subjects.findIndex((subject) => subject !== did)
    if (foreign >= 0) {
      return fail(
        'holder_mismatch',
        `A credential about ${options.subjects[foreign] ?? 'nobody'} was presented by ${did}; only the subject may present it.`,
      )
    }
    return ok()
  }
  for (const subject of options.subjects) {
    if (typeof subject !== 'string' || !subject.startsWith('did:')) continue
    const bound = await checkKeyOfDid({ did: subject, jwk: presenter.value.jwk, resolver: options.resolver })
    if (!bound.ok) return bound
  }
  return ok()
}
