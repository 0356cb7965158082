// `pnpm chaos [kills]` — the crash soak: SIGKILL the agent (alone, or with its chain) at random
// moments under a mixed workload, restart it, check every invariant, repeat; every tenth run also
// kills a first start on a new data folder. Prints each run and a summary of runs, kills and
// violations; exits 1 on any violation.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '../src/chain/anvil'
import {
  type AgentProcess,
  call,
  checkInvariants,
  emptyAcknowledged,
  runWorkload,
  type Secrets,
  spawnAgentProcess,
  startAgentProcess,
  stateLoads,
  stillRunning,
} from './crash-harness'
import { inDays, licenceClaims } from './harness'

const KILLS = Number(process.argv[2] ?? 200)
const say = (m: string) => process.stdout.write(`${m}\n`)

/** A first start killed at a random moment, then started again: it must come up whole. */
async function killedFirstStart(): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-chaos-first-'))
  const port = await freePort()
  try {
    const first = spawnAgentProcess({ dataDir, port })
    await sleep(300 + Math.random() * 3000)
    first.kill({ chain: Math.random() < 0.5 })
    await first.exited
    const agent = await startAgentProcess({ dataDir, port })
    const violations: string[] = []
    const orgs = (await call(agent.url, 'GET', '/v1/organisations')).body.organisations ?? []
    if (orgs.length < 2) violations.push(`first start: ${orgs.length} demo organisations after the restart`)
    const health = await call(agent.url, 'GET', '/v1/health')
    if (health.status !== 200 || health.body.status !== 'ok')
      violations.push(`first start: health ${health.status} ${health.body.status}`)
    // The demo board can issue: its first assertion key (a DID operation) was completed.
    const board = agent.secrets.board
    if (board) {
      const res = await call(agent.url, 'POST', `/v1/organisations/${board.id}/credentials`, {
        token: board.token,
        body: {
          type: 'ClinicianLicenseCredential',
          subject: 'did:ethr:0x7a69:0xb9c5714089478a327f09197987f16f9e5d936e8a',
          claims: licenceClaims(),
          validUntil: inDays(30),
        },
      })
      if (res.status !== 201)
        violations.push(`first start: the demo board cannot issue (${res.status} ${res.body.code})`)
    }
    await agent.stop()
    return violations
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-chaos-'))
  const port = await freePort()
  let agent: AgentProcess = await startAgentProcess({ dataDir, port })
  const secrets = (agent as AgentProcess & { secrets: Secrets }).secrets
  const ack = emptyAcknowledged()
  const anvils: number[] = []
  let kills = 0
  let violations = 0
  const started = Date.now()
  try {
    for (let run = 1; kills < KILLS; run++) {
      if (run % 10 === 0) {
        const found = await killedFirstStart()
        kills++
        violations += found.length
        say(`run ${run}: first start killed and restarted — ${found.length === 0 ? 'ok' : found.join('; ')}`)
        continue
      }
      const pid = agent.anvilPid()
      if (pid) anvils.push(pid)
      const withChain = Math.random() < 0.4
      const running = new AbortController()
      const work = runWorkload(agent.url, secrets, ack, running.signal)
      await sleep(100 + Math.random() * 2500)
      agent.kill({ chain: withChain })
      kills++
      running.abort()
      await work
      await agent.exited
      const found: string[] = []
      if (!stateLoads(dataDir)) found.push('no chain state file loads')
      agent = await startAgentProcess({ dataDir, port })
      found.push(...(await checkInvariants(agent.url, secrets, ack)))
      violations += found.length
      say(
        `run ${run}: killed the agent${withChain ? ' and its chain' : ''}; ${ack.issued.length} issued, ${ack.rotations.length} rotations, ${ack.services.length} services, ${ack.revoked.length} revocations, ${ack.created.length} boards created, ${ack.compromised.length} compromise rotations acknowledged so far — ${found.length === 0 ? 'ok' : `${found.length} VIOLATIONS:\n  ${found.slice(0, 10).join('\n  ')}`}`,
      )
    }
  } finally {
    await agent.stop()
    await sleep(500)
    const left = stillRunning(anvils)
    if (left.length > 0) {
      violations += left.length
      say(`chain processes left running: ${left.join(', ')}`)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  say(
    `\nchaos: ${kills} kills in ${Math.round((Date.now() - started) / 1000)} s, ${ack.issued.length} issuances, ${ack.rotations.length} rotations, ${ack.services.length} services, ${ack.revoked.length} revocations, ${ack.created.length} boards created, ${ack.compromised.length} compromise rotations acknowledged; ${violations} violations`,
  )
  process.exit(violations === 0 ? 0 : 1)
}

main().catch((e: unknown) => {
  process.stderr.write(`chaos failed: ${(e as Error).stack}\n`)
  process.exit(2)
})
