import { z } from 'zod'

/**
 * The media types of a signed status list: IETF Token Status List, or a W3C Bitstring list as a VC
 * 2.0 `vc+jwt` (VC-JOSE-COSE) or as a VC 1.1 JWT (`application/jwt`, RFC 7519).
 */
export const STATUS_LIST_MEDIA_TYPES = [
  'application/statuslist+jwt',
  'application/vc+jwt',
  'application/jwt',
] as const

/** The media types a list upload may be sent as (the compact JWT as the body). */
export const STATUS_LIST_UPLOAD_MEDIA_TYPES = [
  'application/statuslist+jwt',
  'application/vc+jwt',
  'application/jwt',
] as const

/** A compact JWT, as sent and served (under the 64 KiB body limit). */
export const compactJwtSchema = z.string().min(1).max(65536)

/** `PUT /v1/status-lists/dids/{did}/{name}`: where the list is served and its issue time (seconds). */
export const uploadedListResponse = z.object({ url: z.string(), issuedAt: z.number().int() })
