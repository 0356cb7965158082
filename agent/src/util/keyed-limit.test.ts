import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createKeyedLimit } from './keyed-limit'

describe('createKeyedLimit', () => {
  it('lets perKey run per key and total in all; the next waiter runs when one ends', async () => {
    const limit = createKeyedLimit({ perKey: 2, total: 3 })
    let running = 0
    let most = 0
    const perKey = new Map<string, number>()
    let mostPerKey = 0
    const work = async (key: string) => {
      const release = await limit.acquire(key)
      running++
      perKey.set(key, (perKey.get(key) ?? 0) + 1)
      most = Math.max(most, running)
      mostPerKey = Math.max(mostPerKey, perKey.get(key)!)
      await sleep(5)
      running--
      perKey.set(key, perKey.get(key)! - 1)
      release()
    }
    await Promise.all(['a', 'a', 'a', 'a', 'b', 'b', 'c', 'c'].map(work))
    expect(most).toBe(3)
    expect(mostPerKey).toBe(2)
  })

  it('a waiter whose signal aborts gives up and does not take a slot later', async () => {
    const limit = createKeyedLimit({ perKey: 1, total: 10 })
    const release = await limit.acquire('a')
    const controller = new AbortController()
    const waiting = limit.acquire('a', controller.signal)
    controller.abort()
    await expect(waiting).rejects.toThrow(/aborted/)
    release()
    const again = await limit.acquire('a')
    again()
  })
})
