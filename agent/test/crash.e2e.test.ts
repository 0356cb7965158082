import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../src/chain/anvil'
import {
  type AgentProcess,
  checkInvariants,
  emptyAcknowledged,
  runWorkload,
  type Secrets,
  startAgentProcess,
  stateLoads,
  stillRunning,
} from './crash-harness'
import { TEST_DATABASE } from './database'

// SIGKILL at random moments of rotations, service writes, issuance and revocation — of the agent
// alone and of the agent with its chain — then a restart: everything acknowledged is there, the
// chain and the database agree, the chain's state loads, nothing is left running. (`pnpm chaos`
// runs the same for hundreds of kills.) The embedded chain and SQLite, as a fresh install runs.

const KILLS = 6

describe.skipIf(TEST_DATABASE !== 'sqlite')('crashes: SIGKILL at random moments, then a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'clavis-crash-'))
  let agent: AgentProcess | undefined
  const anvils: number[] = []
  afterAll(async () => {
    await agent?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(`keeps every acknowledged change through ${KILLS} kills`, async () => {
    // The same port every time: credentials name their status lists under the agent's URL.
    const port = await freePort()
    const first = await startAgentProcess({ dataDir, port })
    agent = first
    const secrets = first.secrets as Secrets
    expect(secrets.admin && secrets.board && secrets.hospital).toBeTruthy()
    const ack = emptyAcknowledged()
    for (let kill = 0; kill < KILLS; kill++) {
      const pid = agent.anvilPid()
      if (pid) anvils.push(pid)
      const running = new AbortController()
      const work = runWorkload(agent.url, secrets, ack, running.signal)
      await sleep(300 + Math.random() * 1500)
      agent.kill({ chain: kill % 2 === 1 })
      running.abort()
      await work
      await agent.exited
      expect(stateLoads(dataDir)).toBe(true)
      agent = await startAgentProcess({ dataDir, port })
      const violations = await checkInvariants(agent.url, secrets, ack)
      expect(violations.slice(0, 10), agent.output().slice(-3000)).toEqual([])
    }
    expect(ack.issued.length).toBeGreaterThan(0)
    await agent.stop()
    // The chain processes of every run are gone.
    await sleep(500)
    expect(stillRunning(anvils)).toEqual([])
  }, 300_000)
})
