import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { rateLimit } from './rate-limit'

describe('rateLimit', () => {
  it('lets max requests through per key and window, then refuses with rate_limited', async () => {
    const app = new Hono()
    app.onError((e, c) => c.json({ code: (e as { code?: string }).code }, 429))
    app.post(
      '/o/:id',
      rateLimit({ max: 3, windowMs: 60_000, key: (c) => c.req.param('id') ?? '', what: 'things' }),
      (c) => c.text('ok'),
    )
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await app.request('/o/a', { method: 'POST' })).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    expect((await app.request('/o/b', { method: 'POST' })).status).toBe(200)
  })
})
