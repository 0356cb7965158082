import { ClavisError } from '@clavis/errors'

/** Stable codes of {@link StatusListError}; callers branch on these, never on messages. */
export type StatusListErrorCode =
  | 'invalid_size'
  | 'invalid_bits'
  | 'invalid_value'
  | 'index_out_of_range'
  | 'invalid_entry'
  | 'invalid_options'
  | 'unsupported_multibase'
  | 'invalid_base64url'
  | 'invalid_compression'
  | 'too_large'
  | 'list_too_small'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'unexpected_header'
  | 'invalid_claims'

/**
 * The one error type of `@clavis/status`, with a stable `code`.
 *
 * @example
 * try { decodeBitstring(text) } catch (e) { if (e instanceof StatusListError && e.code === 'too_large') … }
 */
export class StatusListError extends ClavisError<StatusListErrorCode> {
  override readonly name = 'StatusListError'

  constructor(code: StatusListErrorCode, message: string, options?: { cause?: unknown }) {
    super({ code, message, cause: options?.cause })
  }
}
