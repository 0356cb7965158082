import type { Command } from 'commander'
import type { Act } from '../action'
import { printFields } from '../format'
import type { Organisation } from '../session'

/** `health`, `whoami`. */
export function registerSystem(program: Command, act: Act): void {
  program
    .command('health')
    .description("the agent's chain and registry (with the operator token: its database too)")
    .addHelpText('after', '\nExamples:\n  clavis health\n  clavis health --json')
    .action(
      act(async (s) => {
        const h = await s.call<{
          status: string
          chain: Record<string, unknown>
          database?: { type: string }
        }>({ agentUrl: s.agentUrl, token: s.operatorToken()?.token }, 'GET', '/v1/health')
        s.print(h, () =>
          printFields([
            ['status', h.status],
            ['chain id', h.chain.chainId],
            ['latest block', h.chain.latestBlock],
            ['registry', h.chain.registry],
            ['embedded', h.chain.embedded],
            ['database', h.database?.type],
          ]),
        )
        return 0
      }),
    )

  program
    .command('whoami')
    .description('whose token this is')
    .action(
      act(async (s) => {
        const r = await s.call<{ role: string; organisation?: Organisation }>(
          s.staffClient(),
          'GET',
          '/v1/me',
        )
        s.print(r, () =>
          printFields([
            ['role', r.role],
            ['organisation', r.organisation?.name],
            ['id', r.organisation?.id],
            ['did', r.organisation?.did],
          ]),
        )
        return 0
      }),
    )
}
