import { ConfigError, loadConfig } from './config'
import { startAgent } from './system'

/** `pnpm --filter @clavis/agent start`: runs the agent until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig(process.env)
  const agent = await startAgent(config, (m) => process.stderr.write(`[clavis] ${m}\n`))
  const { ctx, firstStart } = agent
  const out: string[] = []
  out.push(`clavis agent listening on ${agent.url}`)
  out.push(
    `  chain     ${ctx.chain.embedded ? 'embedded anvil' : 'configured network'} ${ctx.chain.rpcUrl} (chain id ${ctx.chain.chainId})`,
  )
  out.push(`  registry  ${ctx.chain.registry}`)
  out.push(
    `  database  ${config.database.type}${config.database.type === 'sqlite' ? ` ${config.database.path}` : ''}`,
  )
  out.push(`  data      ${config.dataDir}`)
  if (firstStart.adminToken) {
    out.push(
      '',
      `  operator (admin) token, shown once, also saved with mode 0600 at ${firstStart.adminTokenPath}:`,
    )
    out.push(`    ${firstStart.adminToken}`)
  }
  for (const t of firstStart.demoTokens ?? []) {
    out.push(
      '',
      `  ${t.name} (${t.kind}) id ${t.id}`,
      `    DID   ${t.did}`,
      `    staff token (also saved with mode 0600 in ${config.dataDir}/demo-${t.kind}.token): ${t.token}`,
    )
  }
  process.stdout.write(`${out.join('\n')}\n`)
  firstStart.acknowledge?.()
  let stopping = false
  const stop = async (why: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`[clavis] ${why}: stopping (finishing requests, saving the chain)\n`)
    const force = setTimeout(() => {
      process.stderr.write('[clavis] did not stop within 30 s; exiting\n')
      process.exit(1)
    }, 30_000)
    force.unref()
    try {
      await agent.stop()
      process.exit(0)
    } catch (e) {
      process.stderr.write(`[clavis] stopping failed: ${(e as Error).message}\n`)
      process.exit(1)
    }
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal))
  // Started by `npm start`: stop with the process that started this one, however it ended.
  if (process.env.CLAVIS_EXIT_WITH_PARENT === '1') {
    const parent = process.ppid
    setInterval(() => {
      if (process.ppid !== parent) void stop('the starting process ended')
    }, 500).unref()
  }
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`)
    process.exit(2)
  }
  const err = e as Error & { code?: string }
  process.stderr.write(`clavis agent failed to start: ${err.message}\n`)
  if (err.code === 'EADDRINUSE') {
    process.stderr.write('Another process uses that port. Set CLAVIS_AGENT_PORT to a free port.\n')
  }
  process.exit(1)
})
