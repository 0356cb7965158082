import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { issueCredential, loadConfig, openAgent, verifyCredential } from '@clavis/agent'
import { secp256k1 } from '@noble/curves/secp256k1'
import { sha256 } from '@noble/hashes/sha256'
import { type BenchResult, medianOpsPerSec } from './measure'

// `pnpm bench [--json]`: ops/s of raw secp256k1 and of Clavis operations in one process, each
// printed with its ratio to the raw operation measured in the same run (medians of several rounds).

const json = process.argv.includes('--json')
const progress = (m: string) => process.stderr.write(`[bench] ${m}\n`)

const LICENCE = {
  name: { family: 'Okafor', given: ['Ada'] },
  profession: { system: 'http://nucc.org/provider-taxonomy', code: '207R00000X' },
  licenseNumber: 'A-123456',
  jurisdiction: 'US-CA',
  specialty: [{ system: 'http://snomed.info/sct', code: '394579002' }],
}

async function main(): Promise<void> {
  const results: BenchResult[] = []
  const priv = secp256k1.utils.randomPrivateKey()
  const pub = secp256k1.getPublicKey(priv)
  const msg = sha256(new TextEncoder().encode('clavis benchmark message'))
  const sig = secp256k1.sign(msg, priv)

  progress('raw secp256k1 sign and verify (@noble/curves)')
  const rawSign = await medianOpsPerSec({ op: () => secp256k1.sign(msg, priv), roundMs: 400 })
  const sigBytes = sig.toCompactRawBytes()
  const rawVerify = await medianOpsPerSec({ op: () => secp256k1.verify(sigBytes, msg, pub), roundMs: 400 })
  results.push({ name: 'raw-secp256k1-sign', opsPerSec: rawSign, baseline: null, ratio: null })
  results.push({ name: 'raw-secp256k1-verify', opsPerSec: rawVerify, baseline: null, ratio: null })

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
    const validUntil = new Date(Date.now() + 365 * 86_400_000).toISOString()
    const issue = () =>
      issueCredential(ctx, {
        organisationId: board.id,
        request: {
          type: 'ClinicianLicenseCredential',
          subject: 'did:ethr:0x7a69:0xb9c5714089478a327f09197987f16f9e5d936e8a',
          claims: LICENCE,
          validUntil,
        },
      })
    progress('issuing licences (sign with Veramo + store in SQLite)')
    const issueRate = await medianOpsPerSec({ op: issue, rounds: 5, roundMs: 1000 })
    results.push({
      name: 'issue-licence-jwt-vc',
      opsPerSec: issueRate,
      baseline: 'raw-secp256k1-sign',
      ratio: issueRate / rawSign,
    })

    const { jwt } = await issue()
    progress('verifying a licence (DID resolution against the chain, trust list from the database)')
    const verify = async () => {
      const r = await verifyCredential(ctx, { credential: jwt, verifier: hospital.id })
      if (!r.valid) throw new Error('benchmark credential did not verify')
    }
    const verifyRate = await medianOpsPerSec({ op: verify, rounds: 5, roundMs: 1000 })
    results.push({
      name: 'verify-licence-jwt-vc',
      opsPerSec: verifyRate,
      baseline: 'raw-secp256k1-verify',
      ratio: verifyRate / rawVerify,
    })
  } finally {
    await close()
    rmSync(dataDir, { recursive: true, force: true })
  }

  if (json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
    return
  }
  process.stdout.write('benchmark                       ops/s      ratio to baseline\n')
  for (const r of results) {
    const ratio = r.ratio === null ? '(baseline)' : `${r.ratio.toFixed(4)} × ${r.baseline}`
    process.stdout.write(`${r.name.padEnd(28)} ${r.opsPerSec.toFixed(1).padStart(9)}   ${ratio}\n`)
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] failed: ${(e as Error).message}\n`)
  process.exit(1)
})
