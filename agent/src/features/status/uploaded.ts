import { isObject, parseBase64urlJson } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { checkStatusListJwt, decodeStatusListJwt, type StatusListMediaType } from '@clavis/status'
import { assertionKeys, resolveIssuer, verifyWithDocumentKeys } from '@clavis/verify'
import type { AgentContext } from '../../context'
import { placeholders } from '../../db/sql'
import { newId, nowIso } from '../../util/ids'
import { UploadedListEntity } from './entities'

/** The URL at which a DID's uploaded list is served (and which its `sub`/`id` must name). */
export function uploadedListUrl(ctx: AgentContext, did: string, name: string): string {
  return `${ctx.publicUrl}/v1/status-lists/dids/${did}/${name}`
}

/**
 * Accepts a status list signed by any DID (a patient's wallet publishes its grant list this way):
 * only if it is signed by a current assertion key of that DID, names exactly the URL it is served
 * at, is not expired, and is newer than the list held. Otherwise a 4xx; what is stored stays.
 *
 * @example
 * await acceptUploadedList(ctx, { did, name: 'grants', jwt })
 */
export async function acceptUploadedList(
  ctx: AgentContext,
  input: { did: string; name: string; jwt: string },
): Promise<{ url: string; issuedAt: number }> {
  const url = uploadedListUrl(ctx, input.did, input.name)
  const invalid = (message: string) => new ClavisError({ code: 'invalid_status_list', message })
  let decoded: ReturnType<typeof decodeStatusListJwt>
  try {
    decoded = decodeStatusListJwt(input.jwt)
  } catch (e) {
    throw invalid(`Not a signed status list: ${(e as Error).message}`)
  }
  const checked = checkStatusListJwt({
    decoded,
    expectedIssuer: input.did,
    expectedUri: url,
    now: new Date(),
  })
  if (!checked.ok)
    throw invalid(`${checked.error.reason} (upload it to the URL it names, signed by ${input.did})`)
  if (decoded.issuedAt === undefined)
    throw invalid('The list has no issue time (iat), so it cannot be ordered.')
  const resolved = await resolveIssuer({ did: input.did, resolver: ctx.resolver })
  if (!resolved.ok) throw invalid(resolved.error.reason)
  const keys = assertionKeys({
    document: resolved.value,
    alg: decoded.header.alg,
    kid: decoded.header.kid,
  })
  if (
    !verifyWithDocumentKeys({
      keys,
      alg: decoded.header.alg,
      data: decoded.signingInput,
      signature: decoded.signature,
    })
  ) {
    throw invalid(`The list is not signed by a key of ${input.did}.`)
  }
  const issuedAt = Math.floor(decoded.issuedAt.getTime() / 1000)
  // One statement decides "newer than what is held", so concurrent uploads cannot both win or
  // let an older list overwrite a newer one (on SQLite and PostgreSQL, across processes).
  const p = placeholders(ctx.db, 6)
  const stored: unknown[] = await ctx.db.query(
    `INSERT INTO clavis_uploaded_list (id, issuer_did, name, jwt, issued_at, updated_at) VALUES (${p})
     ON CONFLICT (issuer_did, name) DO UPDATE
       SET jwt = excluded.jwt, issued_at = excluded.issued_at, updated_at = excluded.updated_at
       WHERE clavis_uploaded_list.issued_at < excluded.issued_at
     RETURNING id`,
    [newId(), input.did, input.name, input.jwt, issuedAt, nowIso()],
  )
  if (stored.length === 0) {
    const held = await ctx.db
      .getRepository(UploadedListEntity)
      .findOneBy({ issuerDid: input.did, name: input.name })
    const at = held ? new Date(held.issuedAt * 1000).toISOString() : 'the same time'
    throw new ClavisError({
      code: 'stale_status_list',
      message: `A list issued at ${at} is already held; upload a newer one.`,
    })
  }
  // This process's verifier sees the new list at once (others within the list's ttl).
  ctx.status.clear(url)
  await ctx.audit.record({ kind: 'status_list.uploaded', did: input.did, name: input.name })
  return { url, issuedAt }
}

/**
 * The media type of a stored list, by its `typ` (checked when it was accepted): a Token Status List
 * (`statuslist+jwt`), a VC-JOSE-COSE `vc+jwt` or a VC 1.1 JWT (`JWT`).
 */
function mediaTypeOf(jwt: string): StatusListMediaType {
  const header = parseBase64urlJson(jwt.slice(0, jwt.indexOf('.')))
  const typ = isObject(header) ? header.typ : undefined
  if (typ === 'statuslist+jwt') return 'application/statuslist+jwt'
  return typ === 'vc+jwt' ? 'application/vc+jwt' : 'application/jwt'
}

/** The uploaded list served at `/v1/status-lists/dids/{did}/{name}`, and its media type. */
export async function uploadedList(
  ctx: AgentContext,
  input: { did: string; name: string },
): Promise<{ jwt: string; mediaType: StatusListMediaType }> {
  const held = await ctx.db
    .getRepository(UploadedListEntity)
    .findOneBy({ issuerDid: input.did, name: input.name })
  if (!held)
    throw new ClavisError({
      code: 'not_found',
      message: `No status list "${input.name}" uploaded by ${input.did}.`,
    })
  return { jwt: held.jwt, mediaType: mediaTypeOf(held.jwt) }
}
