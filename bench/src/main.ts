import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  changeStatus,
  createPresentationRequest,
  issueCredential,
  loadConfig,
  openAgent,
  verifyCredential,
  verifyPresentation,
} from '@clavis/agent'
import { ECDSA_BACKEND } from '@clavis/crypto'
import { createDidEthrKey } from '@clavis/did'
import { presentSdJwtVc } from '@clavis/sd-jwt'
import { presentJwtVp } from '@clavis/verify'
import { measureAccess, type TargetedResult } from './access'
import { measureAuditVerify } from './audit'
import { measureCheckin } from './checkin'
import {
  type BenchResult,
  medianOpsPerSec,
  medianOverItems,
  medianRatioOpsPerSec,
  medianRatioOverItems,
} from './measure'
import { measureRaw } from './raw'
import { reverifyLicences } from './reverify'

// `pnpm bench [--json]`: ops/s of raw secp256k1 and of Clavis operations in one process, each
// printed with its ratio to the raw operation measured in the same run (medians of several rounds).
// Issuance is compared with noble's sign (what it signs with); verification with OpenSSL's verify
// (what it verifies with on Node, ADR 0021), counting the signatures an operation needs:
// ratio = operations/s × signatures per operation ÷ raw OpenSSL verifies/s, the raw rate measured
// again beside every round (the median of the rounds' ratios): a noisy machine drifts within a run.

const json = process.argv.includes('--json')
const progress = (m: string) => process.stderr.write(`[bench] ${m}\n`)

const LICENCE = {
  name: { family: 'Okafor', given: ['Ada'] },
  profession: { system: 'http://nucc.org/provider-taxonomy', code: '207R00000X' },
  licenseNumber: 'A-123456',
  jurisdiction: 'US-CA',
  specialty: [{ system: 'http://snomed.info/sct', code: '394579002' }],
}
const PATIENT = {
  name: { family: 'García', given: ['Lucía'] },
  birthDate: '1984-02-29',
  identifier: { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN-0042' },
  address: { city: 'Springfield', country: 'US' },
  identityAssuranceLevel: 'IAL2',
}

const holder = () => createDidEthrKey({ chainId: 31337 })

async function main(): Promise<void> {
  const results: BenchResult[] = []
  if (ECDSA_BACKEND !== 'openssl') throw new Error(`verification runs on ${ECDSA_BACKEND}, not OpenSSL`)
  const raw = await measureRaw({ progress, results })
  const rawSign = raw.nobleSign
  const verifyBaseline = 'raw-openssl-secp256k1-verify'

  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-bench-'))
  progress(`starting an agent on the embedded chain (data in ${dataDir})`)
  const { ctx, firstStart, close } = await openAgent(
    loadConfig({ CLAVIS_DATA_DIR: dataDir, CLAVIS_LOG: 'silent' }),
    progress,
  )
  try {
    const board = firstStart.demoTokens?.find((t) => t.kind === 'board')
    const hospital = firstStart.demoTokens?.find((t) => t.kind === 'hospital')
    if (!board || !hospital) throw new Error('demo organisations missing')
    const clinician = holder()
    const patient = holder()
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString()
    const issueLicence = () =>
      issueCredential(ctx, {
        organisationId: board.id,
        request: { type: 'ClinicianLicenseCredential', subject: clinician.did, claims: LICENCE, validUntil },
      })
    const issueIdentity = () =>
      issueCredential(ctx, {
        organisationId: hospital.id,
        request: {
          type: 'PatientIdentityCredential',
          format: 'dc+sd-jwt',
          subject: patient.did,
          holderJwk: patient.jwk,
          claims: PATIENT,
          validUntil,
        },
      })

    progress('issuing licences as JWT-VC (sign, random status index, store in SQLite)')
    const issueRate = await medianOpsPerSec({ op: issueLicence, rounds: 5, roundMs: 1000 })
    results.push({
      name: 'issue-jwt-vc-with-status',
      opsPerSec: issueRate,
      baseline: 'raw-secp256k1-sign',
      ratio: issueRate / rawSign,
    })
    const inFlight = 16
    progress(`issuing licences as JWT-VC, ${inFlight} requests in flight (a busy server: group commit)`)
    const issueConcurrent =
      inFlight *
      (await medianOpsPerSec({
        op: () => Promise.all(Array.from({ length: inFlight }, issueLicence)),
        rounds: 5,
        roundMs: 1000,
      }))
    results.push({
      name: `issue-jwt-vc-with-status-${inFlight}-in-flight`,
      opsPerSec: issueConcurrent,
      baseline: 'raw-secp256k1-sign',
      ratio: issueConcurrent / rawSign,
    })
    progress('issuing identity credentials as SD-JWT VC (sign, random status index, store)')
    const issueSdRate = await medianOpsPerSec({ op: issueIdentity, rounds: 5, roundMs: 1000 })
    results.push({
      name: 'issue-sd-jwt-vc-with-status',
      opsPerSec: issueSdRate,
      baseline: 'raw-secp256k1-sign',
      ratio: issueSdRate / rawSign,
    })

    const licence = await issueLicence()
    progress('verifying a single JWT-VC (warm caches; the baseline measured beside each round)')
    const single = await medianRatioOpsPerSec({
      op: async () => {
        const r = await verifyCredential(ctx, { credential: licence.jwt, verifier: hospital.id })
        if (!r.valid) throw new Error(`benchmark credential did not verify: ${JSON.stringify(r.checks)}`)
      },
      baseline: raw.opensslVerifyOnce,
      perOp: 1,
    })
    results.push({
      name: 'verify-jwt-vc',
      opsPerSec: single.opsPerSec,
      baseline: verifyBaseline,
      ratio: single.ratio,
    })

    const ROUND = 300
    progress(`preparing ${ROUND * 6} JWT VPs, each with its own single-use nonce`)
    const vps: { presentation: string; nonce: string; requestSecret: string }[] = []
    for (let i = 0; i < ROUND * 6; i++) {
      const { nonce, audience, requestSecret } = await createPresentationRequest(ctx, {
        organisationId: hospital.id,
      })
      vps.push({
        nonce,
        requestSecret,
        presentation: await presentJwtVp({
          credentials: [licence.jwt],
          holder: clinician.did,
          kid: clinician.kid,
          signer: clinician.signer,
          nonce,
          audience,
        }),
      })
    }
    progress('verifying JWT VPs (holder signature + credential signature; status list cached)')
    const vpRate = await medianRatioOverItems({
      items: vps,
      perRound: ROUND,
      baseline: raw.opensslVerifyOnce,
      perOp: 2,
      op: async (item) => {
        const r = await verifyPresentation(ctx, {
          presentation: item.presentation,
          nonce: item.nonce,
          requestSecret: item.requestSecret,
          verifier: hospital.id,
        })
        if (!r.valid) throw new Error(`benchmark VP did not verify: ${JSON.stringify(r)}`)
      },
    })
    results.push({
      name: 'verify-jwt-vp',
      opsPerSec: vpRate.opsPerSec,
      baseline: verifyBaseline,
      ratio: vpRate.ratio,
    })

    const identity = await issueIdentity()
    progress(`preparing ${ROUND * 6} SD-JWT VC presentations with key binding`)
    const sds: { presentation: string; nonce: string; requestSecret: string }[] = []
    for (let i = 0; i < ROUND * 6; i++) {
      const { nonce, audience, requestSecret } = await createPresentationRequest(ctx, {
        organisationId: hospital.id,
      })
      const presentation = await presentSdJwtVc({
        credential: identity.jwt,
        disclose: ['name', 'birthDate'],
        keyBinding: { alg: 'ES256K', signer: patient.signer, nonce, audience },
      })
      sds.push({ nonce, requestSecret, presentation })
    }
    progress('verifying SD-JWT VC presentations (issuer signature + key binding; status list cached)')
    const sdRate = await medianRatioOverItems({
      items: sds,
      perRound: ROUND,
      baseline: raw.opensslVerifyOnce,
      perOp: 2,
      op: async (item) => {
        const r = await verifyPresentation(ctx, {
          presentation: item.presentation,
          nonce: item.nonce,
          requestSecret: item.requestSecret,
          verifier: hospital.id,
        })
        if (!r.valid) throw new Error(`benchmark SD-JWT presentation did not verify: ${JSON.stringify(r)}`)
      },
    })
    results.push({
      name: 'verify-sd-jwt-vp',
      opsPerSec: sdRate.opsPerSec,
      baseline: verifyBaseline,
      ratio: sdRate.ratio,
    })

    await reverifyLicences({
      ctx,
      hospitalId: hospital.id,
      boardId: board.id,
      licence: (organisationId) =>
        issueCredential(ctx, {
          organisationId,
          request: {
            type: 'ClinicianLicenseCredential',
            subject: clinician.did,
            claims: LICENCE,
            validUntil,
          },
        }),
      rawOpensslVerify: raw.opensslVerify,
      progress,
      results,
    })

    progress('revoking one credential in a 131,072-entry list and publishing the new list')
    const victims = await Promise.all(Array.from({ length: 25 }, () => issueLicence()))
    const revokeRate = await medianOverItems({
      items: victims,
      perRound: 5,
      op: async (c) => {
        await changeStatus(ctx, { organisationId: board.id, credentialId: c.id, action: 'revoke' })
      },
    })
    results.push({
      name: 'revoke-and-publish-131072',
      opsPerSec: revokeRate,
      baseline: 'raw-secp256k1-sign',
      ratio: revokeRate / rawSign,
    })
  } finally {
    await close()
    rmSync(dataDir, { recursive: true, force: true })
  }
  await measureCheckin({ raw, progress, results })
  await measureAccess({ raw, progress, results })
  await measureAuditVerify({ progress, results })

  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
    return
  }
  process.stdout.write('benchmark                          ops/s    ms/op   ratio to baseline\n')
  for (const r of results) {
    const ratio =
      r.ratio === null ? (r.p95Ms === undefined ? '(baseline)' : '') : `${r.ratio.toFixed(3)} × ${r.baseline}`
    const whole =
      r.seconds !== undefined
        ? `   (the whole batch in ${r.seconds.toFixed(2)} s)`
        : r.p95Ms !== undefined
          ? `   median ${r.medianMs?.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms, signatures ${((r.signatureShare ?? 0) * 100).toFixed(0)}% of it`
          : ''
    const target = (r as TargetedResult).target ? `   (target ${(r as TargetedResult).target})` : ''
    process.stdout.write(
      `${r.name.padEnd(30)} ${r.opsPerSec.toFixed(1).padStart(9)} ${(1000 / r.opsPerSec).toFixed(3).padStart(8)}   ${ratio}${whole}${target}\n`,
    )
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${(e as Error).message}\n`)
  process.exit(1)
})
