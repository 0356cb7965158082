import { randomUUID } from 'node:crypto'
import { computeAddress } from 'ethers'
import { fundAddress } from '../src/chain/fund'
import { ApiTokenEntity, OrganisationEntity } from '../src/features/organisations/entities'
import type { DidSigner } from '../src/keys/signing-keys'
import { hashToken, newToken, nowIso } from '../src/util/ids'
import { ethrProviderName } from '../src/veramo/create-agent'
import { inDays, licenceClaims, type TestAgent } from './harness'

// Organisations as the agent made them before assertion keys (ADR 0024): a DID and a controller
// key that signed credentials itself (kid `#controllerKey`). For the tests of the upgrade path.

/** A board made the old way: no assertion key; staff token; trusted by the demo hospital for licences. */
export interface LegacyOrganisation {
  id: string
  did: string
  token: string
  /** The signer the agent used then: the controller key, kid `<did>#controllerKey`. */
  controllerSigner: DidSigner
}

const addressOf = (publicKeyHex: string) => computeAddress(`0x${publicKeyHex.replace(/^0x/, '')}`)

/**
 * Creates a board as createOrganisation did before assertion keys: a did:ethr with its controller
 * key in the key store, gas for it, the organisation row and a staff token; no assertion key.
 *
 * @example
 * const legacy = await legacyOrganisation(t, 'Old Board')
 */
export async function legacyOrganisation(t: TestAgent, name: string): Promise<LegacyOrganisation> {
  const ctx = t.agent.ctx
  const id = randomUUID()
  const identifier = await ctx.veramo.didManagerCreate({
    provider: ethrProviderName(ctx.chain.chainId),
    kms: 'local',
    alias: `org-${id}`,
  })
  const controller = identifier.keys[0]!
  const funderKey = ctx.chain.funderKey!
  await ctx.chain.write(() =>
    fundAddress({ provider: ctx.chain.provider, funderKey, address: addressOf(controller.publicKeyHex) }),
  )
  const token = newToken()
  await ctx.db.getRepository(OrganisationEntity).insert({
    id,
    name,
    kind: 'board',
    did: identifier.did,
    status: 'active',
    createdAt: nowIso(),
  })
  await ctx.db.getRepository(ApiTokenEntity).insert({
    id: randomUUID(),
    organisationId: id,
    role: 'staff',
    tokenHash: hashToken(token),
    createdAt: nowIso(),
    revokedAt: null,
  })
  await t.request('POST', `/v1/organisations/${t.hospital.id}/trust`, {
    token: t.hospital.token,
    body: { issuer: identifier.did, types: ['ClinicianLicenseCredential'] },
  })
  const controllerSigner: DidSigner = {
    did: identifier.did,
    keyId: controller.kid,
    kid: `${identifier.did}#controllerKey`,
    alg: 'ES256K',
    signer: (data) =>
      ctx.veramo.keyManagerSign({ keyRef: controller.kid, algorithm: 'ES256K', data, encoding: 'utf-8' }),
    publicKeyHex: controller.publicKeyHex,
    address: addressOf(controller.publicKeyHex),
    validUntil: new Date(inDays(20 * 365)),
  }
  return { id, did: identifier.did, token, controllerSigner }
}

/**
 * A licence the legacy organisation's controller key signs, through the API, as before the
 * upgrade (the credential row records the controller as its signer).
 *
 * @example
 * const jwt = await signedByController(t, legacy, subjectDid)
 */
export async function signedByController(
  t: TestAgent,
  legacy: LegacyOrganisation,
  subject: string,
): Promise<string> {
  const keys = t.agent.ctx.signingKeys
  const original = keys.signerFor
  keys.signerFor = async (did, o) => (did === legacy.did ? legacy.controllerSigner : original(did, o))
  try {
    const res = await t.request('POST', `/v1/organisations/${legacy.id}/credentials`, {
      token: legacy.token,
      body: {
        type: 'ClinicianLicenseCredential',
        subject,
        claims: licenceClaims(),
        validUntil: inDays(365),
      },
    })
    if (res.status !== 201)
      throw new Error(`legacy issuance answered ${res.status}: ${JSON.stringify(res.body)}`)
    return res.body.jwt as string
  } finally {
    keys.signerFor = original
  }
}
