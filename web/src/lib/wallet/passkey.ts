/**
 * Unlocking with a passkey: the WebAuthn PRF extension gives, for a salt the wallet keeps, a
 * secret only that passkey (after user verification) can produce; it wraps the vault's data key
 * (vault-crypto.ts). Nothing goes to a server: the challenge is random and checked by nobody,
 * because the secret itself is what proves the passkey.
 */
import { type PasskeySlot, unb64 } from './vault-crypto'

export class PasskeyError extends Error {
  constructor(
    readonly code: 'passkey_unsupported' | 'passkey_cancelled' | 'passkey_no_prf',
    message: string,
  ) {
    super(message)
    this.name = 'PasskeyError'
  }
}

type PrfResults = { prf?: { enabled?: boolean; results?: { first?: ArrayBuffer } } }

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n))
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')

/** Whether this browser can make a passkey at all (PRF support shows only when one is made). */
export function passkeysAvailable(): boolean {
  return (
    typeof PublicKeyCredential !== 'undefined' &&
    !!navigator.credentials?.create &&
    globalThis.isSecureContext
  )
}

function cancelled(e: unknown): never {
  const name = (e as Error)?.name
  if (name === 'NotAllowedError' || name === 'AbortError')
    throw new PasskeyError(
      'passkey_cancelled',
      'The passkey was not used (cancelled or timed out). Try again, or use your passphrase.',
    )
  if (name === 'SecurityError')
    throw new PasskeyError(
      'passkey_unsupported',
      'Passkeys need the wallet at a domain name (e.g. http://localhost:3000), not an IP address.',
    )
  throw new PasskeyError(
    'passkey_unsupported',
    `This browser cannot use a passkey here: ${(e as Error)?.message ?? e}`,
  )
}

async function prfOf(credentialId: Uint8Array, salt: Uint8Array): Promise<ArrayBuffer> {
  let assertion: PublicKeyCredential | null
  try {
    assertion = (await navigator.credentials.get({
      publicKey: {
        challenge: random(32),
        allowCredentials: [{ type: 'public-key', id: credentialId as BufferSource }],
        userVerification: 'required',
        timeout: 120_000,
        extensions: {
          prf: { eval: { first: salt as BufferSource } },
        } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null
  } catch (e) {
    cancelled(e)
  }
  const first = (assertion?.getClientExtensionResults() as PrfResults | undefined)?.prf?.results?.first
  if (!first)
    throw new PasskeyError(
      'passkey_no_prf',
      'This passkey cannot unlock a wallet (its authenticator has no PRF support).',
    )
  return first
}

/** Makes a passkey for this wallet and returns what a slot needs (its id, the salt and the PRF output). */
export async function createPasskey(
  label: string,
): Promise<{ credentialId: Uint8Array; prfSalt: Uint8Array; prfOutput: ArrayBuffer }> {
  if (!passkeysAvailable())
    throw new PasskeyError('passkey_unsupported', 'This browser has no passkeys here.')
  const prfSalt = random(32)
  let credential: PublicKeyCredential | null
  try {
    credential = (await navigator.credentials.create({
      publicKey: {
        rp: { name: 'Clavis wallet' },
        user: { id: random(16), name: label, displayName: label },
        challenge: random(32),
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
        timeout: 120_000,
        extensions: {
          prf: { eval: { first: prfSalt as BufferSource } },
        } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null
  } catch (e) {
    cancelled(e)
  }
  if (!credential) throw new PasskeyError('passkey_cancelled', 'No passkey was made.')
  const credentialId = new Uint8Array(credential.rawId)
  const results = credential.getClientExtensionResults() as PrfResults
  if (results.prf?.enabled === false)
    throw new PasskeyError(
      'passkey_no_prf',
      'This authenticator cannot unlock a wallet (no PRF support). Keep using your passphrase.',
    )
  // Some authenticators give the PRF output only when the passkey is used, not when it is made.
  const prfOutput = results.prf?.results?.first ?? (await prfOf(credentialId, prfSalt))
  return { credentialId, prfSalt, prfOutput }
}

/** Uses one of the wallet's passkeys; returns which slot it was and its PRF output. */
export async function usePasskey(
  slots: readonly PasskeySlot[],
): Promise<{ slot: PasskeySlot; prfOutput: ArrayBuffer }> {
  if (!passkeysAvailable() || slots.length === 0)
    throw new PasskeyError('passkey_unsupported', 'No passkey can open this wallet here.')
  let assertion: PublicKeyCredential | null
  try {
    assertion = (await navigator.credentials.get({
      publicKey: {
        challenge: random(32),
        allowCredentials: slots.map((s) => ({
          type: 'public-key' as const,
          id: unb64(s.credentialId) as BufferSource,
        })),
        userVerification: 'required',
        timeout: 120_000,
        extensions: {
          prf: {
            evalByCredential: Object.fromEntries(
              slots.map((s) => [b64url(unb64(s.credentialId)), { first: unb64(s.prfSalt) as BufferSource }]),
            ),
          },
        } as AuthenticationExtensionsClientInputs,
      },
    })) as PublicKeyCredential | null
  } catch (e) {
    cancelled(e)
  }
  if (!assertion) throw new PasskeyError('passkey_cancelled', 'No passkey was used.')
  const id = btoa(String.fromCharCode(...new Uint8Array(assertion.rawId)))
  const slot = slots.find((s) => s.credentialId === id)
  const first = (assertion.getClientExtensionResults() as PrfResults).prf?.results?.first
  if (!slot || !first)
    throw new PasskeyError('passkey_no_prf', 'That passkey cannot unlock this wallet. Use your passphrase.')
  return { slot, prfOutput: first }
}
