import type { PresentationFormat } from './types'

/**
 * The format of a presentation, decided once, here: an SD-JWT VC has `~`-separated parts (a
 * compact JWS never contains `~`), anything else is taken as a JWT VP (and refused as `malformed`
 * if it is not one).
 *
 * @example
 * detectPresentationFormat('eyJ…~WyJ…~eyJ…') // 'dc+sd-jwt'
 */
export function detectPresentationFormat(presentation: unknown): PresentationFormat {
  return typeof presentation === 'string' && presentation.includes('~') ? 'dc+sd-jwt' : 'jwt_vp'
}
