import { isObject, parseBase64urlJson } from '@clavis/crypto'
import type { PresentationFormat } from './types'

/**
 * The format of a presentation, decided once, here: an SD-JWT VC has `~`-separated parts (a
 * compact JWS never contains `~`); a JWT whose header says `typ: vp+jwt` is a VC 2.0 presentation
 * secured with VC-JOSE-COSE; anything else is taken as a VC 1.1 JWT VP (and refused as
 * `malformed` if it is not one).
 *
 * @example
 * detectPresentationFormat('eyJ…~WyJ…~eyJ…') // 'dc+sd-jwt'
 */
export function detectPresentationFormat(presentation: unknown): PresentationFormat {
  if (typeof presentation !== 'string') return 'jwt_vp'
  if (presentation.includes('~')) return 'dc+sd-jwt'
  const dot = presentation.indexOf('.')
  const header = dot > 0 && dot <= 4096 ? parseBase64urlJson(presentation.slice(0, dot)) : undefined
  return isObject(header) && header.typ === 'vp+jwt' ? 'vp+jwt' : 'jwt_vp'
}
