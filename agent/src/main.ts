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
      `    staff token (shown once): ${t.token}`,
    )
  }
  process.stdout.write(`${out.join('\n')}\n`)
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    process.stderr.write(`[clavis] ${signal}: stopping (saving chain state)\n`)
    await agent.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
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
