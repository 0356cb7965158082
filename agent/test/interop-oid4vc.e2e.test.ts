import { createHash, createPublicKey, randomUUID, verify as verifyEcdsa } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { base64urlJson, fromHex, publicKeyToJwk, sha256 } from '@clavis/crypto'
import { createPresenter, createReceiver, memoryCredentialStore, walletCallbacks } from '@clavis/holder'
import {
  decodeJwt,
  Oauth2AuthorizationServer,
  Oauth2ServerErrorResponseError,
  preAuthorizedCodeGrantIdentifier,
  setGlobalConfig,
} from '@openid4vc/oauth2'
import { Openid4vciIssuer, Openid4vciVersion } from '@openid4vc/openid4vci'
import { Openid4vpVerifier } from '@openid4vc/openid4vp'
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc'
import { DcqlPresentationResult, DcqlQuery } from 'dcql'
import type { Resolver } from 'did-resolver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inDays, licenceClaims, useTestAgent } from './harness'
import { holderKey, type Json } from './holders'
import { chainResolver } from './interop-kit'
import { LICENCE_VCT, walletKey } from './oid4vc-kit'

// Our holder library (@clavis/holder) against parties we did not write, on loopback: an issuer
// built with the issuer side of @openid4vc/openid4vci whose credentials are made by
// @sd-jwt/sd-jwt-vc, and a verifier built with @openid4vc/openid4vp that checks what it receives
// with @sd-jwt/sd-jwt-vc and dcql. (The agent's own endpoints meet Animo's wallet in
// oid4vci.e2e.test.ts and oid4vp.e2e.test.ts.)

const t = useTestAgent()
let resolver: Resolver

const sha256Node = (data: string | ArrayBuffer | Uint8Array) =>
  new Uint8Array(
    createHash('sha256')
      .update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array))
      .digest(),
  )
const verifyWithJwk = (jwk: Json, data: string, signature: string) =>
  verifyEcdsa(
    'sha256',
    Buffer.from(data),
    { key: createPublicKey({ key: jwk, format: 'jwk' }), dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  )

type Route = (
  req: IncomingMessage,
  body: string,
) => Promise<{ status?: number; json?: unknown; text?: string; type?: string }>

/** A loopback HTTP server with a route table (`METHOD /path`). */
async function serve(routes: Map<string, Route>): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      const route = routes.get(`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`)
      if (!route) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
        return
      }
      route(req, body).then(
        (out) => {
          res.writeHead(out.status ?? 200, { 'content-type': out.type ?? 'application/json' })
          res.end(out.text ?? JSON.stringify(out.json ?? {}))
        },
        (error: unknown) => {
          const e = error instanceof Oauth2ServerErrorResponseError ? error : undefined
          res.writeHead(e?.status ?? 500, { 'content-type': 'application/json' })
          res.end(
            JSON.stringify(e?.errorResponse ?? { error: 'server_error', error_description: String(error) }),
          )
        },
      )
    })
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

const servers: Server[] = []
beforeAll(async () => {
  setGlobalConfig({ allowInsecureUrls: true })
  resolver = (await chainResolver(t)).resolver
})
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))))
})

describe('@clavis/holder receives from an issuer built with @openid4vc/openid4vci and @sd-jwt/sd-jwt-vc', () => {
  it('redeems the offer with the tx code, proves its key, checks and keeps the SD-JWT VC', async () => {
    const issuerKey = holderKey() // the foreign issuer signs with a did:ethr key of its own
    const routes = new Map<string, Route>()
    const { url, server } = await serve(routes)
    servers.push(server)
    const callbacks = {
      ...walletCallbacks({ keys: [], resolver }),
      clientAuthentication: () => undefined,
      signJwt: async (_signer: unknown, { header, payload }: { header: Json; payload: Json }) => {
        const input = `${base64urlJson(header)}.${base64urlJson(payload)}`
        return { jwt: `${input}.${await issuerKey.signer(input)}`, signerJwk: issuerKey.jwk as never }
      },
    }
    const issuer = new Openid4vciIssuer({ callbacks })
    const as = new Oauth2AuthorizationServer({ callbacks })
    const credentialIssuer = issuer.createCredentialIssuerMetadata({
      credential_issuer: url,
      credential_endpoint: `${url}/credential`,
      nonce_endpoint: `${url}/nonce`,
      display: [{ name: 'Foreign Board', locale: 'en' }],
      credential_configurations_supported: {
        licence: {
          format: 'dc+sd-jwt',
          vct: LICENCE_VCT,
          cryptographic_binding_methods_supported: ['did:ethr'],
          credential_signing_alg_values_supported: ['ES256K'],
          proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256K'] } },
          credential_metadata: { display: [{ name: 'Licence', locale: 'en' }] },
        },
      },
    } as never)
    const asMetadata = as.createAuthorizationServerMetadata({
      issuer: url,
      token_endpoint: `${url}/token`,
      grant_types_supported: [preAuthorizedCodeGrantIdentifier],
      'pre-authorized_grant_anonymous_access_supported': true,
    } as never)
    const metadata = {
      originalDraftVersion: Openid4vciVersion.V1,
      credentialIssuer,
      authorizationServers: [asMetadata],
      knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
    }
    const txCode = '493536'
    const { credentialOffer, credentialOfferObject } = await issuer.createCredentialOffer({
      issuerMetadata: metadata as never,
      credentialConfigurationIds: ['licence'],
      grants: { [preAuthorizedCodeGrantIdentifier]: { tx_code: { input_mode: 'numeric', length: 6 } } },
    })
    const code = (credentialOfferObject.grants as Json)[preAuthorizedCodeGrantIdentifier][
      'pre-authorized_code'
    ]
    const nonces = new Set<string>()
    let accessToken: string | undefined
    routes.set('GET /.well-known/openid-credential-issuer', async () => ({ json: credentialIssuer }))
    routes.set('GET /.well-known/oauth-authorization-server', async () => ({ json: asMetadata }))
    routes.set('POST /token', async (req, body) => {
      const request = {
        method: 'POST' as const,
        url: `${url}/token`,
        headers: new Headers(req.headers as never),
      }
      const parsed = as.parseAccessTokenRequest({
        request,
        accessTokenRequest: Object.fromEntries(new URLSearchParams(body)),
      })
      await as.verifyPreAuthorizedCodeAccessTokenRequest({
        authorizationServerMetadata: asMetadata,
        grant: parsed.grant as never,
        accessTokenRequest: parsed.accessTokenRequest,
        request,
        expectedPreAuthorizedCode: code,
        expectedTxCode: txCode,
      })
      const response = await as.createAccessTokenResponse({
        authorizationServer: url,
        audience: url,
        subject: code,
        expiresInSeconds: 300,
        signer: { method: 'did', didUrl: issuerKey.kid, alg: 'ES256K' },
      })
      accessToken = response.access_token
      return { json: response }
    })
    routes.set('POST /nonce', async () => {
      const c_nonce = randomUUID()
      nonces.add(c_nonce)
      return { json: issuer.createNonceResponse({ cNonce: c_nonce }) }
    })
    routes.set('POST /credential', async (req, body) => {
      expect(req.headers.authorization).toBe(`Bearer ${accessToken}`)
      const parsed = issuer.parseCredentialRequest({
        issuerMetadata: metadata as never,
        credentialRequest: JSON.parse(body),
      })
      const proof = parsed.proofs!.jwt![0]!
      const nonce = decodeJwt({ jwt: proof }).payload.nonce as string
      expect(nonces.delete(nonce)).toBe(true)
      const verified = await issuer.verifyCredentialRequestJwtProof({
        issuerMetadata: metadata as never,
        jwt: proof,
        expectedNonce: nonce,
      })
      if (verified.signer.method !== 'did') throw new Error('expected a DID-bound proof')
      const holderKid = verified.signer.didUrl
      const holderDid = holderKid.split('#')[0]!
      const foreign = new SDJwtVcInstance({
        hasher: sha256Node,
        hashAlg: 'sha-256',
        saltGenerator: () => randomUUID(),
        signer: issuerKey.signer,
        signAlg: 'ES256K',
      })
      const now = Math.floor(Date.now() / 1000)
      const resolvedHolder = await resolver.resolve(holderDid)
      const holderHex = (resolvedHolder.didDocument?.verificationMethod ?? []).find(
        (m) => m.id === holderKid,
      )?.publicKeyHex
      const issueAny = foreign.issue.bind(foreign) as unknown as (
        p: Json,
        f: { _sd: string[] },
        o: { header: Json },
      ) => Promise<string>
      const claims = licenceClaims()
      const credential = await issueAny(
        {
          iss: issuerKey.did,
          sub: holderDid,
          vct: LICENCE_VCT,
          iat: now,
          nbf: now,
          exp: now + 86_400 * 30,
          cnf: { jwk: publicKeyToJwk({ alg: 'ES256K', publicKey: fromHex(holderHex!)! }) },
          ...claims,
        },
        { _sd: Object.keys(claims) },
        { header: { kid: issuerKey.kid } },
      )
      return {
        json: issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] }),
      }
    })

    const key = walletKey()
    const store = memoryCredentialStore()
    const receiver = createReceiver({ resolver })
    const seen = await receiver.resolve(credentialOffer)
    expect(seen).toMatchObject({ credentialIssuer: url, issuerName: 'Foreign Board' })
    const [held] = await receiver.receive({ offer: credentialOffer, txCode, key, store })
    expect(held).toMatchObject({
      format: 'dc+sd-jwt',
      type: 'ClinicianLicenseCredential',
      issuer: issuerKey.did,
      subject: key.did,
      credentialIssuer: url,
    })
    expect(held!.claims.licenseNumber).toBe('A-123456')
    expect(await store.list()).toHaveLength(1)
  })
})

describe('@clavis/holder presents to a verifier built with @openid4vc/openid4vp (checked with @sd-jwt/sd-jwt-vc and dcql)', () => {
  it('resolves the signed request, answers with only what was asked, and the verifier accepts it', async () => {
    // The holder's licence, issued by the agent's board.
    const key = walletKey()
    const store = memoryCredentialStore()
    const offer = await t.request('POST', `/v1/organisations/${t.board.id}/offers`, {
      token: t.board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        claims: licenceClaims(),
        validUntil: inDays(365),
        formats: ['dc+sd-jwt'],
      },
    })
    await createReceiver({ resolver }).receive({
      offer: offer.body.offerUri,
      txCode: offer.body.txCode,
      key,
      store,
    })
    const board = await t.agent.ctx.signingKeys.signerFor(t.board.did)
    const boardJwk = publicKeyToJwk({ alg: 'ES256K', publicKey: fromHex(board.publicKeyHex)! })

    const verifierKey = holderKey()
    const clientId = `decentralized_identifier:${verifierKey.did}`
    const routes = new Map<string, Route>()
    const { url, server } = await serve(routes)
    servers.push(server)
    const verifier = new Openid4vpVerifier({
      callbacks: {
        hash: (data) => sha256(data),
        signJwt: async (_signer, { header, payload }) => {
          const input = `${base64urlJson(header)}.${base64urlJson(payload)}`
          return { jwt: `${input}.${await verifierKey.signer(input)}`, signerJwk: verifierKey.jwk as never }
        },
        verifyJwt: () => ({ verified: false }),
        encryptJwe: () => {
          throw new Error('not used')
        },
        decryptJwe: () => {
          throw new Error('not used')
        },
      },
    })
    const dcqlQuery = {
      credentials: [
        {
          id: 'licence',
          format: 'dc+sd-jwt',
          meta: { vct_values: [LICENCE_VCT] },
          claims: [{ path: ['licenseNumber'] }],
        },
      ],
    }
    const nonce = randomUUID()
    const { authorizationRequest, authorizationRequestPayload, jar } =
      await verifier.createOpenId4vpAuthorizationRequest({
        authorizationRequestPayload: {
          response_type: 'vp_token',
          client_id: clientId,
          response_uri: `${url}/response`,
          response_mode: 'direct_post',
          nonce,
          state: 'check-in-1',
          dcql_query: dcqlQuery,
          client_metadata: {
            vp_formats_supported: {
              'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256K'], 'kb-jwt_alg_values': ['ES256K'] },
            },
          },
        },
        jar: {
          requestUri: `${url}/request`,
          jwtSigner: { method: 'did', didUrl: verifierKey.kid, alg: 'ES256K' },
          expiresInSeconds: 300,
        },
      })
    let accepted: { claims: Json; kb: Json } | undefined
    routes.set('GET /request', async () => ({
      text: jar!.authorizationRequestJwt,
      type: 'application/oauth-authz-req+jwt',
    }))
    routes.set('POST /response', async (_req, body) => {
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
        authorizationResponse: Object.fromEntries(new URLSearchParams(body)),
        authorizationRequestPayload,
        callbacks: { decryptJwe: () => ({ decrypted: false }), verifyJwt: () => ({ verified: false }) },
      })
      if (parsed.type !== 'dcql') throw new Error('expected a DCQL response')
      const [presentation] = parsed.dcql.presentations.licence as string[]
      const sdJwt = new SDJwtVcInstance({
        hasher: sha256Node,
        verifier: (data, signature) => verifyWithJwk(boardJwk, data, signature),
        kbVerifier: (data, signature, payload) =>
          verifyWithJwk((payload.cnf as { jwk: Json }).jwk, data, signature),
      })
      const verified = (await sdJwt.verify(presentation!, {
        keyBindingNonce: nonce,
        disableStatusVerification: true,
      } as never)) as { payload: Json; kb?: { payload: Json } }
      expect(verified.kb?.payload.aud).toBe(clientId)
      const claims = (await sdJwt.getClaims(presentation!)) as Json
      const result = DcqlPresentationResult.fromDcqlPresentation(
        {
          licence: [
            { credential_format: 'dc+sd-jwt', vct: claims.vct, claims, cryptographic_holder_binding: true },
          ],
        } as never,
        { dcqlQuery: DcqlQuery.parse(dcqlQuery as DcqlQuery.Input) },
      )
      DcqlPresentationResult.validate(result)
      accepted = { claims, kb: verified.kb!.payload }
      return { json: {} }
    })

    const presenter = createPresenter({ resolver })
    const request = await presenter.resolve(authorizationRequest)
    expect(request.verifier.did).toBe(verifierKey.did)
    const matches = presenter.match(request, await store.list())
    await expect(
      presenter.respond({ request, chosen: { licence: matches.licence![0] }, key }),
    ).resolves.toEqual({
      accepted: true,
    })
    expect(accepted?.claims.licenseNumber).toBe('A-123456')
    // Only what was asked of what is selectively disclosable: a licence's NPI stays with the holder
    // (its other claims are always visible by design, ADR 0008).
    expect(accepted?.claims.npi).toBeUndefined()
  })
})
