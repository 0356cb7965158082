import { env } from '$env/dynamic/private'
import { DEFAULT_AGENT_URL } from '$lib/server/agent'
import { proxyToAgent } from '$lib/server/proxy'
import type { RequestHandler } from './$types'

const pass: RequestHandler = ({ params, request, fetch }) =>
  proxyToAgent({ agentUrl: env.CLAVIS_AGENT_URL || DEFAULT_AGENT_URL, path: params.path, request, fetch })

export const GET = pass
export const POST = pass
export const PUT = pass
export const PATCH = pass
export const DELETE = pass
