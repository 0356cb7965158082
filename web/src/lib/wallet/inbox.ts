/**
 * Grants delivered through a hospital's inbox (ADR 0032): the clinician's wallet keeps a P-256 key
 * in its vault and publishes a statement of it signed by its DID's key; the patient's wallet checks
 * that statement's signature itself, encrypts the grant to the key (JWE, ECDH-ES+A256KW, A256GCM,
 * with jose) and leaves it; the clinician's wallet reads its inbox with a DPoP proof, decrypts,
 * checks each grant like any received credential and removes what it took.
 */
import { base64urlJson, jwkToPublicKey, parseBase64urlJson, verifySignature } from '@clavis/crypto'
import { publicJwkOfDid } from '@clavis/did'
import { checkReceivedCredential, dpopProof, type HeldCredential, type HolderKey } from '@clavis/holder'
import { CompactEncrypt, compactDecrypt, exportJWK, generateKeyPair, importJWK } from 'jose'
import { agentPublicUrl, publicApi } from '$lib/agent/browser'
import { type InboxKey, withCredentials } from './contents'
import { walletResolver } from './protocols'
import { wallet } from './session.svelte'

const ALG = 'ECDH-ES+A256KW'
const TYP = 'clavis-inbox-key+jwt'

export class InboxError extends Error {
  constructor(
    readonly code: 'no_inbox' | 'bad_key_statement' | 'locked',
    message: string,
  ) {
    super(message)
    this.name = 'InboxError'
  }
}

/** The wallet's inbox key, made once and kept in the vault. */
async function inboxKey(): Promise<InboxKey> {
  const held = wallet.contents?.inboxKey
  if (held) return held
  const { publicKey, privateKey } = await generateKeyPair(ALG, { crv: 'P-256', extractable: true })
  const made: InboxKey = {
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
    createdAt: new Date().toISOString(),
    publishedAt: [],
  }
  await wallet.update((c) => ({ ...c, inboxKey: c.inboxKey ?? made }))
  return wallet.contents!.inboxKey!
}

/** Publishes the inbox key at a hospital (once per hospital), signed by the wallet's DID key. */
export async function openInbox(hospitalId: string, key: HolderKey): Promise<void> {
  const inbox = await inboxKey()
  if (inbox.publishedAt.includes(hospitalId)) return
  const { kty, crv, x, y } = inbox.publicJwk
  const claims = {
    iss: key.did,
    iat: Math.floor(Date.now() / 1000),
    jwk: { kty, crv, x, y, use: 'enc', alg: ALG },
  }
  const input = `${base64urlJson({ alg: 'ES256K', typ: TYP, kid: key.kid })}.${base64urlJson(claims)}`
  await publicApi().publishInboxKey({
    params: { id: hospitalId, did: key.did },
    body: { binding: `${input}.${await key.sign(input)}` },
  })
  await wallet.update((c) =>
    c.inboxKey
      ? {
          ...c,
          inboxKey: { ...c.inboxKey, publishedAt: [...new Set([...c.inboxKey.publishedAt, hospitalId])] },
        }
      : c,
  )
}

/**
 * The key a clinician's wallet published at a hospital, after checking the statement is signed by
 * the key their DID shows (the agent could serve another key; it cannot sign for the DID).
 */
export async function recipientKey(hospitalId: string, did: string): Promise<JsonWebKey> {
  let binding: string
  try {
    binding = (await publicApi().getInboxKey({ params: { id: hospitalId, did } })).binding
  } catch {
    throw new InboxError(
      'no_inbox',
      'This clinician’s wallet has no inbox at that hospital yet: show them the grant’s QR code instead.',
    )
  }
  const [h, p, signature] = binding.split('.')
  const header = parseBase64urlJson(h ?? '') as { typ?: string; alg?: string } | undefined
  const claims = parseBase64urlJson(p ?? '') as { iss?: string; jwk?: JsonWebKey } | undefined
  const didKey = publicJwkOfDid(did)
  const signer = didKey ? jwkToPublicKey(didKey) : undefined
  const signed =
    header?.typ === TYP &&
    header.alg === 'ES256K' &&
    claims?.iss === did &&
    signer !== undefined &&
    signature !== undefined &&
    verifySignature({ alg: 'ES256K', publicKey: signer.publicKey, data: `${h}.${p}`, signature })
  const jwk = claims?.jwk
  if (!signed || jwk?.kty !== 'EC' || jwk.crv !== 'P-256')
    throw new InboxError(
      'bad_key_statement',
      'The inbox key statement is not signed by that clinician’s DID: nothing was sent.',
    )
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }
}

/** Encrypts a grant to the clinician's inbox key and leaves it at the hospital. */
export async function sendGrant(o: {
  hospitalId: string
  granteeDid: string
  credential: string
  /** The patient's key: only a hospital's patients leave grants in its inboxes. */
  key: HolderKey
}): Promise<void> {
  const jwk = await recipientKey(o.hospitalId, o.granteeDid)
  const jwe = await new CompactEncrypt(new TextEncoder().encode(o.credential))
    .setProtectedHeader({ alg: ALG, enc: 'A256GCM', cty: 'dc+sd-jwt' })
    .encrypt(await importJWK(jwk, ALG))
  const url = `${await agentPublicUrl()}/v1/organisations/${o.hospitalId}/inbox/${o.granteeDid}`
  await publicApi().deliverToInbox({
    params: { id: o.hospitalId, did: o.granteeDid },
    body: { jwe, from: o.key.did },
    headers: { DPoP: await dpopProof(o.key, 'POST', url) },
  })
}

/** Reads the inbox at a hospital: each grant decrypted, checked and added; the messages removed. */
export async function collectGrants(
  hospitalId: string,
  key: HolderKey,
): Promise<{ added: HeldCredential[]; refused: number }> {
  await openInbox(hospitalId, key)
  const inbox = wallet.contents?.inboxKey
  if (!inbox) throw new InboxError('locked', 'The wallet is locked.')
  const base = `${await agentPublicUrl()}/v1/organisations/${hospitalId}/inbox/${key.did}`
  const { messages } = await publicApi().readInbox({
    params: { id: hospitalId, did: key.did },
    headers: { DPoP: await dpopProof(key, 'GET', base) },
  })
  const privateKey = await importJWK(inbox.privateJwk, ALG)
  const added: HeldCredential[] = []
  let refused = 0
  for (const m of messages) {
    try {
      const { plaintext } = await compactDecrypt(m.jwe, privateKey, {
        keyManagementAlgorithms: [ALG, 'ECDH-ES', 'ECDH-ES+A128KW'],
        contentEncryptionAlgorithms: ['A256GCM', 'A128GCM'],
      })
      const content = await checkReceivedCredential({
        credential: new TextDecoder().decode(plaintext),
        format: 'dc+sd-jwt',
        key,
        resolver: walletResolver,
        expectType: 'AccessGrantCredential',
      })
      added.push({
        ...content,
        id: crypto.randomUUID(),
        credentialIssuer: content.issuer,
        receivedAt: new Date().toISOString(),
      })
    } catch {
      refused++
    }
    await publicApi().removeInboxMessage({
      params: { id: hospitalId, did: key.did, messageId: m.id },
      headers: { DPoP: await dpopProof(key, 'DELETE', `${base}/${m.id}`) },
    })
  }
  if (added.length > 0) await wallet.update((c) => withCredentials(c, added))
  return { added, refused }
}
