import { parseBase64urlJson } from '@clavis/crypto'
import { ClavisError } from '@clavis/errors'
import { verifyByDidUrl } from '@clavis/verify'
import { LessThanOrEqual } from 'typeorm'
import type { AgentContext } from '../../context'
import { newId, nowIso } from '../../util/ids'
import { getOrganisation } from '../organisations/organisations'
import { patientByDid } from '../records/patients'
import { InboxKeyEntity, InboxMessageEntity } from './entities'

/** The JWT `typ` of a DID holder's statement of their inbox encryption key (ADR 0032). */
export const INBOX_KEY_TYP = 'clavis-inbox-key+jwt'
/** How long a message waits to be read (then it is dropped). */
const MESSAGE_TTL_MS = 30 * 86_400_000
/** Most messages waiting for one DID at one organisation (a full inbox refuses more: 409). */
const MAX_WAITING = 100
/** Most messages one sender has waiting for one recipient (nobody fills another's inbox alone). */
const MAX_WAITING_FROM_ONE = 10
/** Longest JWE kept (a grant SD-JWT encrypted is a few KB). */
export const MAX_JWE_LENGTH = 65_536
/** The encryption a message must use: ECDH-ES key agreement to the recipient's P-256 key, AES-GCM. */
const JWE_ALGS = new Set(['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'])
const JWE_ENCS = new Set(['A128GCM', 'A256GCM'])

const invalid = (message: string, path = 'binding') =>
  new ClavisError({ code: 'invalid_request', message, issues: [{ path, code: 'invalid_value', message }] })

interface KeyBindingClaims {
  iss: string
  iat: number
  jwk: { kty: string; crv: string; x: string; y?: string; use?: string; alg?: string }
}

/** Checks a key binding: signed by a key of its issuer's DID (authentication), a P-256 public key, recent. */
async function checkBinding(ctx: AgentContext, jwt: string): Promise<KeyBindingClaims> {
  const [h, p] = jwt.split('.')
  const header = parseBase64urlJson(h ?? '') as { alg?: string; typ?: string; kid?: string } | undefined
  const claims = parseBase64urlJson(p ?? '') as Partial<KeyBindingClaims> | undefined
  if (header?.typ !== INBOX_KEY_TYP || typeof header.kid !== 'string' || typeof claims?.iss !== 'string')
    throw invalid(
      `Send a JWT of typ ${INBOX_KEY_TYP}, signed by your DID's key (kid its DID URL), iss your DID.`,
    )
  if (header.kid.split('#')[0] !== claims.iss)
    throw invalid('The key binding must be signed by a key of its iss DID.')
  const jwk = claims.jwk
  if (
    jwk?.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string' ||
    'd' in jwk
  )
    throw invalid('The inbox key must be a public P-256 JWK (kty EC, crv P-256, x, y).')
  if (typeof claims.iat !== 'number' || Math.abs(Date.now() / 1000 - claims.iat) > 600)
    throw invalid('The key binding’s iat must be within 10 minutes of now: sign a fresh one.')
  const key = await verifyByDidUrl({
    compact: jwt,
    didUrl: header.kid,
    alg: header.alg ?? '',
    resolver: ctx.resolver.forVerification(),
    purposes: ['authentication'],
  })
  if (!key) throw invalid('The key binding’s signature does not verify with that DID’s key.')
  return claims as KeyBindingClaims
}

/**
 * A DID's holder publishes the key grants are encrypted to, at this organisation's inbox: a JWT
 * by the DID's key stating a P-256 public key. Kept (a newer one replaces it) and served as signed,
 * so a sender's wallet checks the signature itself rather than trusting the agent.
 */
export async function publishInboxKey(
  ctx: AgentContext,
  input: { organisationId: string; did: string; binding: string },
): Promise<{ did: string; binding: string }> {
  await getOrganisation(ctx, input.organisationId)
  const claims = await checkBinding(ctx, input.binding.trim())
  if (claims.iss !== input.did) throw invalid('The key binding is for another DID than the path names.')
  const repo = ctx.db.getRepository(InboxKeyEntity)
  const held = await repo.findOneBy({ organisationId: input.organisationId, did: input.did })
  const heldIat = held
    ? ((parseBase64urlJson(held.binding.split('.')[1] ?? '') as { iat?: number }).iat ?? 0)
    : 0
  if (held && heldIat > claims.iat)
    throw new ClavisError({ code: 'stale_status_list', message: 'A newer key binding is held already.' })
  await repo.save({
    organisationId: input.organisationId,
    did: input.did,
    binding: input.binding.trim(),
    updatedAt: nowIso(),
  })
  return { did: input.did, binding: input.binding.trim() }
}

export async function inboxKeyOf(
  ctx: AgentContext,
  input: { organisationId: string; did: string },
): Promise<{ did: string; binding: string }> {
  const held = await ctx.db.getRepository(InboxKeyEntity).findOneBy(input)
  if (!held)
    throw new ClavisError({
      code: 'not_found',
      message:
        'This DID has no inbox here yet: ask them to open their wallet once, or show the grant as a QR code.',
    })
  return { did: held.did, binding: held.binding }
}

/**
 * Leaves a JWE for `recipientDid` (who has an inbox key here), from `senderDid`: a patient of this
 * organisation (their DID linked at registration), whose key the caller proved. The agent cannot
 * read it. At most 10 waiting from one sender to one recipient, 100 for one recipient.
 */
export async function deliver(
  ctx: AgentContext,
  input: { organisationId: string; recipientDid: string; senderDid: string; jwe: string },
): Promise<{ id: string; expiresAt: string }> {
  if (!(await patientByDid(ctx, { organisationId: input.organisationId, did: input.senderDid })))
    throw new ClavisError({
      code: 'forbidden',
      message:
        'Only this hospital’s patients leave grants in its inboxes: take your identity credential from it first.',
    })
  await inboxKeyOf(ctx, { organisationId: input.organisationId, did: input.recipientDid })
  const jwe = input.jwe.trim()
  const parts = jwe.split('.')
  const header = parseBase64urlJson(parts[0] ?? '') as
    | { alg?: string; enc?: string; epk?: unknown }
    | undefined
  if (parts.length !== 5 || jwe.length > MAX_JWE_LENGTH || !header)
    throw invalid(`Send a compact JWE of at most ${MAX_JWE_LENGTH} characters.`, 'jwe')
  if (!JWE_ALGS.has(header.alg ?? '') || !JWE_ENCS.has(header.enc ?? '') || !header.epk)
    throw invalid(
      'Encrypt with ECDH-ES (+A128KW/+A256KW) and A128GCM/A256GCM to the recipient’s inbox key.',
      'jwe',
    )
  const repo = ctx.db.getRepository(InboxMessageEntity)
  await repo.delete({ expiresAt: LessThanOrEqual(nowIso()) })
  const waiting = await repo.countBy({
    organisationId: input.organisationId,
    recipientDid: input.recipientDid,
  })
  const fromSender = await repo.countBy({
    organisationId: input.organisationId,
    recipientDid: input.recipientDid,
    senderDid: input.senderDid,
  })
  if (waiting >= MAX_WAITING || fromSender >= MAX_WAITING_FROM_ONE)
    throw new ClavisError({
      code: 'conflict',
      message: 'This inbox is full; the recipient has to read it first.',
    })
  const id = newId()
  const expiresAt = new Date(Date.now() + MESSAGE_TTL_MS).toISOString()
  await repo.insert({
    id,
    organisationId: input.organisationId,
    recipientDid: input.recipientDid,
    senderDid: input.senderDid,
    jwe,
    createdAt: nowIso(),
    expiresAt,
  })
  await ctx.audit.record({
    kind: 'grant.delivered',
    organisationId: input.organisationId,
    recipientDid: input.recipientDid,
    messageId: id,
  })
  return { id, expiresAt }
}

/** The messages waiting for a DID (its holder proved): oldest first. */
export async function readInbox(ctx: AgentContext, input: { organisationId: string; did: string }) {
  const rows = await ctx.db.getRepository(InboxMessageEntity).find({
    where: { organisationId: input.organisationId, recipientDid: input.did },
    order: { createdAt: 'ASC' },
  })
  const now = nowIso()
  return {
    messages: rows
      .filter((r) => r.expiresAt > now)
      .map((r) => ({ id: r.id, jwe: r.jwe, createdAt: r.createdAt, expiresAt: r.expiresAt })),
  }
}

/** Removes a message its recipient has taken. */
export async function removeMessage(
  ctx: AgentContext,
  input: { organisationId: string; did: string; id: string },
): Promise<void> {
  const done = await ctx.db
    .getRepository(InboxMessageEntity)
    .delete({ organisationId: input.organisationId, recipientDid: input.did, id: input.id })
  if (!done.affected) throw new ClavisError({ code: 'not_found', message: 'No such message in this inbox.' })
}
