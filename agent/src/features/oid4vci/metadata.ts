import { preAuthorizedCodeGrantIdentifier } from '@openid4vc/oauth2'
import { type IssuerMetadataResult, Openid4vciVersion } from '@openid4vc/openid4vci'
import type { AgentContext } from '../../context'
import { configurationMetadata, configurationsOf, OFFERED_BY } from './configurations'
import { createIssuerLibrary } from './library'

/** What the metadata needs of an organisation. */
export interface IssuingOrganisation {
  id: string
  name: string
  did: string
  kind: 'board' | 'hospital'
}

/**
 * The Credential Issuer Identifier of an organisation: `<public URL>/issuers/<id>`. Its metadata is
 * at `/.well-known/openid-credential-issuer/issuers/<id>` (path insertion, OpenID4VCI 1.0 §12.2.2)
 * and its authorization server's at `/.well-known/oauth-authorization-server/issuers/<id>`
 * (RFC 8414 §3.1): each organisation is its own issuer and authorization server.
 */
export function issuerUrl(ctx: Pick<AgentContext, 'publicUrl'>, organisationId: string): string {
  return `${ctx.publicUrl}/issuers/${organisationId}`
}

/** Credential Issuer Metadata (OpenID4VCI 1.0 §12.2.4) of an organisation. */
export function credentialIssuerMetadata(ctx: AgentContext, org: IssuingOrganisation) {
  const base = issuerUrl(ctx, org.id)
  const logoUri = `${base}/logo.svg`
  const { issuer } = createIssuerLibrary(ctx)
  return issuer.createCredentialIssuerMetadata({
    credential_issuer: base,
    credential_endpoint: `${base}/credential`,
    nonce_endpoint: `${base}/nonce`,
    batch_credential_issuance: { batch_size: BATCH_SIZE },
    display: [{ name: org.name, locale: 'en', logo: { uri: logoUri, alt_text: `${org.name} logo` } }],
    credential_configurations_supported: Object.fromEntries(
      configurationsOf(OFFERED_BY[org.kind]).map((c) => [c.id, configurationMetadata(c, { logoUri })]),
    ) as never,
  })
}

/** Most credentials (one per proof) a wallet may ask for in one request, for unlinkable copies. */
export const BATCH_SIZE = 4

/** OAuth 2.0 Authorization Server Metadata (RFC 8414) of an organisation's issuer. */
export function authorizationServerMetadata(ctx: AgentContext, org: Pick<IssuingOrganisation, 'id'>) {
  const base = issuerUrl(ctx, org.id)
  return {
    issuer: base,
    token_endpoint: `${base}/token`,
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    'pre-authorized_grant_anonymous_access_supported': true,
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ['none'],
  }
}

/** The issuer library and the metadata in the shape its helpers take (as a wallet would have read it). */
export function issuerMetadataResult(
  ctx: AgentContext,
  org: IssuingOrganisation,
): { issuer: ReturnType<typeof createIssuerLibrary>['issuer']; metadata: IssuerMetadataResult } {
  const { issuer } = createIssuerLibrary(ctx)
  const credentialIssuer = credentialIssuerMetadata(ctx, org)
  return {
    issuer,
    metadata: {
      originalDraftVersion: Openid4vciVersion.V1,
      credentialIssuer,
      authorizationServers: [authorizationServerMetadata(ctx, org) as never],
      knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
    },
  }
}
