import { env } from '$env/dynamic/private'
import { DEFAULT_AGENT_URL, getFromAgent } from '$lib/server/agent'
import { parseHealth, parseOrganisations } from '$lib/status/parse'
import type { PageServerLoad } from './$types'

export const load: PageServerLoad = async ({ fetch, setHeaders }) => {
  const agentUrl = env.CLAVIS_AGENT_URL || DEFAULT_AGENT_URL
  const [health, organisations] = await Promise.all([
    getFromAgent({ agentUrl, operation: 'getHealth', parse: parseHealth, fetch }),
    getFromAgent({ agentUrl, operation: 'listOrganisations', parse: parseOrganisations, fetch }),
  ])
  for (const result of [health, organisations]) {
    if (!result.ok)
      console.warn(`[web] agent at ${agentUrl}: ${result.problem.code}: ${result.problem.message}`)
  }
  // The latest block changes all the time: never serve this page from a cache.
  setHeaders({ 'cache-control': 'no-store' })
  return { health, organisations }
}
