import { clientAuthenticationAnonymous, Oauth2ClientErrorResponseError } from '@openid4vc/oauth2'
import { Openid4vciClient, Openid4vciRetrieveCredentialsError } from '@openid4vc/openid4vci'
import type { Resolvable } from 'did-resolver'
import { walletCallbacks } from './callbacks'
import { checkReceivedCredential } from './check-received'
import { HolderError } from './errors'
import type { CredentialStore, HeldCredential, HeldFormat, HolderKey } from './types'

/** What an offer offers, for the holder to see before redeeming it. */
export interface ResolvedOffer {
  credentialIssuer: string
  issuerName?: string | undefined
  /** The offered configurations with their format and display name. */
  configurations: { id: string; format: string; name?: string | undefined }[]
  /** Whether a transaction code is needed, and its description. */
  txCode?: { length?: number | undefined; description?: string | undefined } | undefined
}

const FORMATS: readonly string[] = ['jwt_vc_json', 'dc+sd-jwt']

function describeError(error: unknown): HolderError {
  if (error instanceof HolderError) return error
  if (error instanceof Oauth2ClientErrorResponseError) {
    const { error: code, error_description } = error.errorResponse
    return new HolderError(
      'issuer_refused',
      `The issuer refused: ${code}${error_description ? ` — ${error_description}` : ''}`,
      {
        cause: error,
        oauthError: code,
      },
    )
  }
  if (error instanceof Openid4vciRetrieveCredentialsError) {
    const data = error.response.credentialErrorResponseResult?.data as
      | { error?: string; error_description?: string }
      | undefined
    return new HolderError(
      'issuer_refused',
      `The issuer refused the credential request: ${data?.error ?? error.response.response.status}${data?.error_description ? ` — ${data.error_description}` : ''}`,
      {
        cause: error,
        oauthError: data?.error,
      },
    )
  }
  return new HolderError(
    'offer_invalid',
    `The offer cannot be used: ${(error as Error)?.message ?? String(error)}`,
    { cause: error },
  )
}

/**
 * A wallet's side of OpenID4VCI 1.0 (pre-authorized code flow), on `@openid4vc/openid4vci`:
 * resolve an offer (by value or by `credential_offer_uri`) and its issuer's metadata, redeem the
 * code with the transaction code, prove the holder's key with the issuer's `c_nonce`, receive the
 * credentials, and check each (signature, issuer, type, bound to our key) before keeping it.
 *
 * @example
 * const wallet = createReceiver({ resolver })
 * const offer = await wallet.resolve(uri)
 * const held = await wallet.receive({ offer: uri, txCode: '123456', key, store })
 */
export function createReceiver(options: { resolver: Resolvable; fetch?: typeof fetch | undefined }) {
  const clientFor = (keys: readonly HolderKey[]) =>
    new Openid4vciClient({
      callbacks: {
        ...walletCallbacks({ keys, resolver: options.resolver, fetch: options.fetch }),
        clientAuthentication: clientAuthenticationAnonymous(),
      },
    })

  async function load(uri: string, keys: readonly HolderKey[]) {
    const client = clientFor(keys)
    try {
      const offer = await client.resolveCredentialOffer(uri)
      const metadata = await client.resolveIssuerMetadata(offer.credential_issuer)
      return { client, offer, metadata }
    } catch (error) {
      throw describeError(error)
    }
  }

  return {
    /** What the offer is for, before anything is redeemed. */
    async resolve(uri: string): Promise<ResolvedOffer> {
      const { offer, metadata } = await load(uri, [])
      const supported = metadata.credentialIssuer.credential_configurations_supported as Record<
        string,
        Record<string, unknown>
      >
      const grant = offer.grants?.['urn:ietf:params:oauth:grant-type:pre-authorized_code'] as
        | { tx_code?: { length?: number; description?: string } }
        | undefined
      return {
        credentialIssuer: offer.credential_issuer,
        issuerName: (metadata.credentialIssuer.display as { name?: string }[] | undefined)?.[0]?.name,
        configurations: offer.credential_configuration_ids.map((id) => {
          const c = supported[id] ?? {}
          const display = (c.credential_metadata as { display?: { name?: string }[] } | undefined)?.display
          return { id, format: String(c.format), name: display?.[0]?.name }
        }),
        txCode: grant?.tx_code,
      }
    },

    /**
     * Redeems the offer and receives one credential per configuration asked for (default: the
     * first the wallet can hold), bound to `key`; checks and stores each. Throws
     * `issuer_refused` (with the issuer's OAuth code), `offer_invalid` or `credential_rejected`.
     */
    async receive(o: {
      offer: string
      txCode?: string | undefined
      key: HolderKey
      store: CredentialStore
      configurationIds?: string[] | undefined
      now?: Date
    }): Promise<HeldCredential[]> {
      const { client, offer, metadata } = await load(o.offer, [o.key])
      const supported = metadata.credentialIssuer.credential_configurations_supported as Record<
        string,
        Record<string, unknown>
      >
      const wanted =
        o.configurationIds ??
        offer.credential_configuration_ids
          .filter((id) => FORMATS.includes(String(supported[id]?.format)))
          .slice(0, 1)
      if (wanted.length === 0)
        throw new HolderError(
          'offer_invalid',
          'The offer has no credential in a format this wallet holds (jwt_vc_json, dc+sd-jwt).',
        )
      for (const id of wanted)
        if (!offer.credential_configuration_ids.includes(id))
          throw new HolderError('offer_invalid', `The offer does not offer "${id}".`)
      const issuerName = (metadata.credentialIssuer.display as { name?: string }[] | undefined)?.[0]?.name
      let accessToken: string
      try {
        const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
          credentialOffer: offer,
          issuerMetadata: metadata,
          ...(o.txCode !== undefined ? { txCode: o.txCode } : {}),
        })
        accessToken = accessTokenResponse.access_token
      } catch (error) {
        throw describeError(error)
      }
      const held: HeldCredential[] = []
      for (const configurationId of wanted) {
        const configuration = supported[configurationId] ?? {}
        const format = String(configuration.format) as HeldFormat
        const expectType =
          format === 'jwt_vc_json'
            ? ((configuration.credential_definition as { type?: string[] } | undefined)?.type ?? []).find(
                (t) => t !== 'VerifiableCredential',
              )
            : undefined
        let credentials: string[]
        try {
          const { c_nonce } = await client.requestNonce({ issuerMetadata: metadata })
          const { jwt } = await client.createCredentialRequestJwtProof({
            issuerMetadata: metadata,
            credentialConfigurationId: configurationId,
            signer: { method: 'did', alg: o.key.alg, didUrl: o.key.kid },
            nonce: c_nonce,
          })
          const { credentialResponse } = await client.retrieveCredentials({
            issuerMetadata: metadata,
            accessToken,
            credentialConfigurationId: configurationId,
            proofs: { jwt: [jwt] },
          })
          credentials = ((credentialResponse.credentials ?? []) as { credential?: unknown }[])
            .map((c) => c.credential)
            .filter((c): c is string => typeof c === 'string')
        } catch (error) {
          throw describeError(error)
        }
        if (credentials.length === 0)
          throw new HolderError('credential_rejected', 'The issuer answered without a credential.')
        for (const credential of credentials) {
          const content = await checkReceivedCredential({
            credential,
            format,
            key: o.key,
            resolver: options.resolver,
            expectType,
            ...(o.now ? { now: o.now } : {}),
          })
          const item: HeldCredential = {
            ...content,
            id: globalThis.crypto.randomUUID(),
            credentialIssuer: offer.credential_issuer,
            issuerName,
            receivedAt: new Date().toISOString(),
          }
          await o.store.put(item)
          held.push(item)
        }
      }
      return held
    },
  }
}
