// Bundled for the browser by src/lib/wallet/packages.e2e.test.ts. Imports only the packages the
// browser wallet uses, and runs present-and-verify for both formats with status lists, the way a
// wallet and a verifier would, entirely in the page.
import { buildCredential } from '@clavis/credentials'
import { createSigner, generatePrivateKey, publicKeyOf, publicKeyToJwk, toHex } from '@clavis/crypto'
import { issueSdJwtVc, presentSdJwtVc } from '@clavis/sd-jwt'
import {
  Bitstring,
  bitstringStatusEntry,
  signBitstringStatusListCredential,
  signTokenStatusListJwt,
  TokenStatusList,
  tokenStatusEntry,
} from '@clavis/status'
import {
  createMemoryNonceStore,
  createStatusChecker,
  presentJwtVp,
  trustListPolicy,
  verifyPresentation,
} from '@clavis/verify'
import { createVerifiableCredentialJwt } from 'did-jwt-vc'

function party() {
  const privateKey = generatePrivateKey('ES256K')
  const publicKey = publicKeyOf('ES256K', privateKey)
  const did = `did:ethr:0x7a69:0x${toHex(publicKey)}`
  const kid = `${did}#controllerKey`
  const document = {
    id: did,
    verificationMethod: [
      { id: kid, type: 'EcdsaSecp256k1VerificationKey2019', controller: did, publicKeyHex: toHex(publicKey) },
    ],
    authentication: [kid],
    assertionMethod: [kid],
  }
  return {
    did,
    kid,
    document,
    jwk: publicKeyToJwk({ alg: 'ES256K', publicKey }),
    signer: createSigner({ alg: 'ES256K', privateKey }),
  }
}

export async function run() {
  const board = party()
  const hospital = party()
  const clinician = party()
  const patient = party()
  const docs = new Map([board, hospital, clinician, patient].map((p) => [p.did, p.document]))
  const resolver = {
    resolve: async (did: string) => {
      const didDocument = docs.get(did.split('#')[0]!)
      return didDocument
        ? { didResolutionMetadata: {}, didDocument, didDocumentMetadata: {} }
        : { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} }
    },
  }
  const lists = new Map<string, string>()
  const base = 'https://status.example.org/lists'
  const status = () =>
    createStatusChecker({
      resolver: resolver as never,
      fetchList: async (url) => {
        const jwt = lists.get(url)
        if (!jwt) throw new Error('unreachable')
        return jwt
      },
    })
  const trust = trustListPolicy([
    { issuer: board.did, types: ['ClinicianLicenseCredential'] },
    { issuer: hospital.did, types: ['PatientIdentityCredential'] },
  ])
  const nonces = createMemoryNonceStore()

  // Hospital: a 2-bit token list and an SD-JWT VC identity credential bound to the patient's key.
  const tokenUrl = `${base}/hospital/token`
  const tokens = TokenStatusList.create({ size: 131072, bits: 2 })
  const signTokens = async () =>
    lists.set(
      tokenUrl,
      await signTokenStatusListJwt({
        issuer: hospital.did,
        kid: hospital.kid,
        alg: 'ES256K',
        signer: hospital.signer,
        uri: tokenUrl,
        list: tokens,
        ttlSeconds: 30,
      }),
    )
  await signTokens()
  const identity = await issueSdJwtVc({
    type: 'PatientIdentityCredential',
    issuer: hospital.did,
    kid: hospital.kid,
    alg: 'ES256K',
    signer: hospital.signer,
    subject: patient.did,
    claims: {
      name: { family: 'García', given: ['Lucía'] },
      birthDate: '1984-02-29',
      identifier: { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-0042' },
      identityAssuranceLevel: 'IAL2',
    },
    holderJwk: patient.jwk,
    validFrom: new Date(),
    validUntil: new Date(Date.now() + 86_400_000),
    status: tokenStatusEntry({ uri: tokenUrl, idx: 4242 }),
  })
  const sdPresent = async () => {
    const nonce = nonces.issue({ audience: hospital.did })
    const presentation = await presentSdJwtVc({
      credential: identity,
      disclose: ['name', 'birthDate'],
      keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience: hospital.did },
    })
    return { nonce, presentation }
  }
  const first = await sdPresent()
  const sdOk = await verifyPresentation({
    ...first,
    resolver: resolver as never,
    trust,
    status: status(),
    nonces,
    expect: { nonce: first.nonce, audience: hospital.did },
  })
  const sdReplay = await verifyPresentation({
    ...first,
    resolver: resolver as never,
    trust,
    status: status(),
    nonces,
    expect: { nonce: first.nonce, audience: hospital.did },
  })
  tokens.set(4242, 1)
  await signTokens()
  const second = await sdPresent()
  const sdRevoked = await verifyPresentation({
    ...second,
    resolver: resolver as never,
    trust,
    status: status(),
    nonces,
    expect: { nonce: second.nonce, audience: hospital.did },
  })

  // Board: a bitstring revocation list and a JWT-VC licence, presented by the clinician as a JWT VP.
  const revUrl = `${base}/board/revocation`
  const supUrl = `${base}/board/suspension`
  for (const [url, purpose] of [
    [revUrl, 'revocation'],
    [supUrl, 'suspension'],
  ] as const) {
    lists.set(
      url,
      await signBitstringStatusListCredential({
        issuer: board.did,
        kid: board.kid,
        alg: 'ES256K',
        signer: board.signer,
        format: 'jwt_vc',
        url,
        purpose,
        list: Bitstring.create(131072),
        ttlMs: 30_000,
      }),
    )
  }
  const unsigned = buildCredential({
    type: 'ClinicianLicenseCredential',
    issuer: board.did,
    subject: clinician.did,
    claims: {
      name: { family: 'Okafor', given: ['Ada'] },
      profession: { system: 'http://nucc.org/provider-taxonomy', code: '207R00000X' },
      licenseNumber: 'A-123456',
      jurisdiction: 'US-CA',
      specialty: [{ system: 'http://snomed.info/sct', code: '394579002' }],
    },
    validFrom: new Date(Date.now() - 1000),
    validUntil: new Date(Date.now() + 86_400_000),
    credentialStatus: [
      bitstringStatusEntry({ listUrl: revUrl, index: 7, purpose: 'revocation' }),
      bitstringStatusEntry({ listUrl: supUrl, index: 7, purpose: 'suspension' }),
    ],
  })
  const licence = await createVerifiableCredentialJwt(
    unsigned as never,
    { did: board.did, signer: (data) => board.signer(String(data)), alg: 'ES256K' },
    { header: { kid: board.kid } },
  )
  const nonce = nonces.issue({ audience: hospital.did })
  const vp = await presentJwtVp({
    credentials: [licence],
    holder: clinician.did,
    kid: clinician.kid,
    signer: clinician.signer,
    nonce,
    audience: hospital.did,
  })
  const vpOk = await verifyPresentation({
    presentation: vp,
    resolver: resolver as never,
    trust,
    status: status(),
    nonces,
    expect: { nonce, audience: hospital.did },
  })

  return {
    sdValid: sdOk.valid,
    disclosed: sdOk.disclosed,
    sdReplay: sdReplay.checks.nonceAudience,
    sdRevoked: sdRevoked.credentials[0]?.checks.status,
    vpValid: vpOk.valid,
    vpChecks: vpOk.credentials[0]?.checks,
    userAgent: navigator.userAgent,
  }
}
