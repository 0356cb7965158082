import { json } from '@sveltejs/kit'
import type { RequestHandler } from './$types'

/** Liveness of the web server itself; says nothing about the agent. */
export const GET: RequestHandler = () => json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } })
