import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp } from '@clavis/verify'
import { Openid4vpClient } from '@openid4vc/openid4vp'
import { DcqlQuery } from 'dcql'
import type { Resolvable } from 'did-resolver'
import { walletCallbacks } from './callbacks'
import { HolderError } from './errors'
import type { HeldCredential, HolderKey } from './types'

/** One credential the verifier asks for (a DCQL credential query), as a wallet shows it. */
export interface AskedCredential {
  /** The credential query id (the key of the answer in `vp_token`). */
  id: string
  format: string
  /** The top-level claims asked for (a whole claim is disclosed for a path into it). */
  claims: string[]
  /** False when a DCQL credential set marks it optional. */
  required: boolean
}

/** A presentation request that verified: who asks, for what, and where the answer goes. */
export interface ResolvedRequest {
  verifier: {
    /** The verifier's DID (the request object is signed by one of its keys). */
    did: string
    /** Its client identifier (`decentralized_identifier:<did>`): the presentations' audience. */
    clientId: string
  }
  nonce: string
  /** Where the answer is posted; its origin is shown to the holder. */
  responseUri: string
  asked: AskedCredential[]
  /** The DCQL query as sent. */
  query: DcqlQuery
  state?: string | undefined
  /** `direct_post`, or `direct_post.jwt` (the answer is encrypted to the verifier). */
  responseMode: 'direct_post' | 'direct_post.jwt'
  /** The authorization request's parameters as verified (to answer it). */
  payload: Record<string, unknown>
}

/** The DCQL view of a held credential (what the query's paths are matched against). */
function dcqlRecordOf(c: HeldCredential): Record<string, unknown> {
  if (c.format === 'dc+sd-jwt')
    return {
      credential_format: 'dc+sd-jwt',
      vct: c.vct,
      claims: c.claims,
      cryptographic_holder_binding: true,
    }
  return {
    credential_format: 'jwt_vc_json',
    type: ['VerifiableCredential', c.type],
    claims: { type: ['VerifiableCredential', c.type], credentialSubject: { ...c.claims, id: c.subject } },
    cryptographic_holder_binding: true,
  }
}

/**
 * A wallet's side of OpenID4VP 1.0 with DCQL, on `@openid4vc/openid4vp` and `dcql`: resolve a
 * request (`openid4vp://…` with `request_uri`), verifying the request object's signature against
 * the verifier's DID (the library checks the `kid` is of the client id's DID); find which held
 * credentials answer it; answer with only what was asked (SD-JWT VC disclosures; a JWT-VC is
 * whole), bound to the request's nonce and the verifier's client id; post it (`direct_post`).
 *
 * @example
 * const presenter = createPresenter({ resolver })
 * const request = await presenter.resolve(uri)
 * const matches = presenter.match(request, await store.list())
 * await presenter.respond({ request, chosen: { licence: matches.licence[0] }, key })
 */
export function createPresenter(options: { resolver: Resolvable; fetch?: typeof fetch | undefined }) {
  const clientFor = (keys: readonly HolderKey[]) =>
    new Openid4vpClient({
      callbacks: walletCallbacks({ keys, resolver: options.resolver, fetch: options.fetch }),
    })

  return {
    /** Resolves and verifies a presentation request; `request_invalid` says why one does not verify. */
    async resolve(uri: string): Promise<ResolvedRequest> {
      const client = clientFor([])
      let resolved: Awaited<ReturnType<typeof client.resolveOpenId4vpAuthorizationRequest>>
      try {
        const parsed = client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: uri })
        resolved = await client.resolveOpenId4vpAuthorizationRequest({
          authorizationRequestPayload: parsed.params,
        })
      } catch (error) {
        throw new HolderError(
          'request_invalid',
          `The presentation request does not verify: ${(error as Error).message}`,
          {
            cause: error,
          },
        )
      }
      const payload = resolved.authorizationRequestPayload as Record<string, unknown>
      if (
        resolved.client.prefix !== 'decentralized_identifier' ||
        !resolved.client.identifier.startsWith('did:')
      )
        throw new HolderError(
          'request_invalid',
          'This wallet answers verifiers identified by a DID (decentralized_identifier:).',
        )
      if (!resolved.jar)
        throw new HolderError('request_invalid', 'The request is not signed (a request object is required).')
      const responseMode = payload.response_mode
      if (
        (responseMode !== 'direct_post' && responseMode !== 'direct_post.jwt') ||
        typeof payload.response_uri !== 'string'
      )
        throw new HolderError(
          'request_invalid',
          'This wallet answers with direct_post (or direct_post.jwt) to a response_uri.',
        )
      if (typeof payload.nonce !== 'string' || payload.nonce.length < 16)
        throw new HolderError('request_invalid', 'The request has no usable nonce.')
      let query: DcqlQuery
      try {
        query = DcqlQuery.parse(resolved.dcql?.query as DcqlQuery.Input)
        DcqlQuery.validate(query)
      } catch (error) {
        throw new HolderError(
          'request_invalid',
          `The request's DCQL query is not valid: ${(error as Error).message}`,
        )
      }
      const optional = new Set<string>()
      for (const set of query.credential_sets ?? [])
        if (set.required === false)
          for (const option of set.options) for (const id of option) optional.add(id)
      return {
        verifier: { did: resolved.client.identifier, clientId: resolved.client.effective },
        nonce: payload.nonce,
        responseUri: payload.response_uri,
        state: typeof payload.state === 'string' ? payload.state : undefined,
        responseMode,
        payload,
        query,
        asked: query.credentials.map((c) => ({
          id: c.id,
          format: c.format,
          claims: [
            ...new Set(
              (('claims' in c ? c.claims : undefined) ?? [])
                .map((claim) => ('path' in claim ? claim.path : []))
                .map((path) => (path[0] === 'credentialSubject' ? path[1] : path[0]))
                .filter((name): name is string => typeof name === 'string'),
            ),
          ],
          required: !optional.has(c.id),
        })),
      }
    },

    /** For each credential asked for, the held credentials that answer it (DCQL matching). */
    match(request: ResolvedRequest, held: readonly HeldCredential[]): Record<string, HeldCredential[]> {
      const result = DcqlQuery.query(request.query, held.map(dcqlRecordOf) as never)
      const out: Record<string, HeldCredential[]> = {}
      for (const asked of request.asked) {
        const match = result.credential_matches[asked.id] as
          | { success: boolean; valid_credentials?: { input_credential_index: number }[] }
          | undefined
        out[asked.id] = match?.success
          ? (match.valid_credentials ?? []).map((v) => held[v.input_credential_index]!).filter(Boolean)
          : []
      }
      return out
    },

    /**
     * Answers the request with the chosen credential for each credential query (leave optional
     * ones out by not choosing them; `leaveOut` drops claims of an SD-JWT VC the holder does not
     * want to share). Throws `no_matching_credential` when a required one is not chosen and
     * `verifier_refused` when the verifier refuses.
     */
    async respond(o: {
      request: ResolvedRequest
      chosen: Record<string, HeldCredential | undefined>
      key: HolderKey
      leaveOut?: Record<string, string[]> | undefined
    }): Promise<{ accepted: true }> {
      const { request, key } = o
      const vpToken: Record<string, string[]> = {}
      for (const asked of request.asked) {
        const credential = o.chosen[asked.id]
        if (!credential) {
          if (asked.required)
            throw new HolderError(
              'no_matching_credential',
              `The verifier requires "${asked.id}": choose a credential for it.`,
            )
          continue
        }
        const audience = request.verifier.clientId
        if (credential.format === 'dc+sd-jwt') {
          const leave = new Set(o.leaveOut?.[asked.id] ?? [])
          vpToken[asked.id] = [
            await presentSdJwtVc({
              credential: credential.credential,
              disclose: asked.claims.filter((name) => !leave.has(name) && name in credential.claims),
              keyBinding: {
                alg: key.alg,
                signer: (input) => key.sign(input),
                nonce: request.nonce,
                audience,
              },
            }),
          ]
        } else {
          vpToken[asked.id] = [
            await presentJwtVp({
              credentials: [credential.credential],
              holder: key.did,
              kid: key.kid,
              alg: key.alg,
              signer: (input) => key.sign(input),
              nonce: request.nonce,
              audience,
            }),
          ]
        }
      }
      const client = clientFor([key])
      let response: Response
      try {
        const answer = await client.createOpenid4vpAuthorizationResponse({
          authorizationRequestPayload: request.payload as never,
          authorizationResponsePayload: { vp_token: vpToken },
          ...(request.responseMode === 'direct_post.jwt'
            ? {
                jarm: {
                  encryption: { nonce: '' },
                  serverMetadata: {
                    authorization_signing_alg_values_supported: ['ES256K', 'ES256'],
                    authorization_encryption_alg_values_supported: ['ECDH-ES'],
                    authorization_encryption_enc_values_supported: ['A128GCM', 'A256GCM'],
                  },
                },
              }
            : {}),
        })
        response = (
          await client.submitOpenid4vpAuthorizationResponse({
            authorizationRequestPayload: { response_uri: request.responseUri } as never,
            authorizationResponsePayload: answer.authorizationResponsePayload,
            ...(answer.jarm ? { jarm: { responseJwt: answer.jarm.responseJwt } } : {}),
          })
        ).response
      } catch (error) {
        if (error instanceof HolderError) throw error
        throw new HolderError(
          'verifier_refused',
          `The answer could not be sent: ${(error as Error).message}`,
          { cause: error },
        )
      }
      if (response.ok) return { accepted: true }
      const answer = (await response.json().catch(() => ({}))) as {
        error?: string
        error_description?: string
      }
      throw new HolderError(
        'verifier_refused',
        `The verifier refused the presentation: ${answer.error ?? response.status}${answer.error_description ? ` — ${answer.error_description}` : ''}`,
        { oauthError: answer.error },
      )
    },
  }
}
