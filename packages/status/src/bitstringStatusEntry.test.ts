import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { bitstringStatusEntry, parseBitstringStatusEntry } from './bitstringStatusEntry'

const listUrl = 'https://agent.example/status/1'

describe('bitstringStatusEntry', () => {
  it('builds the W3C entry', () => {
    expect(bitstringStatusEntry({ listUrl, index: 94567, purpose: 'revocation' })).toEqual({
      id: 'https://agent.example/status/1#94567',
      type: 'BitstringStatusListEntry',
      statusPurpose: 'revocation',
      statusListIndex: '94567',
      statusListCredential: listUrl,
    })
  })

  it('refuses bad URLs, indexes and purposes', () => {
    for (const bad of [
      { listUrl: 'ftp://x.example/l', index: 1, purpose: 'revocation' },
      { listUrl: `${listUrl}#frag`, index: 1, purpose: 'revocation' },
      { listUrl: 'https://user:pw@x.example/l', index: 1, purpose: 'revocation' },
      { listUrl: 'not a url', index: 1, purpose: 'revocation' },
      { listUrl, index: -1, purpose: 'revocation' },
      { listUrl, index: 1.5, purpose: 'revocation' },
      { listUrl, index: 1, purpose: 'message' },
    ]) {
      expect(errorCode(() => bitstringStatusEntry(bad as never))).toBe('invalid_entry')
    }
  })
})

describe('parseBitstringStatusEntry', () => {
  const good = bitstringStatusEntry({ listUrl, index: 7, purpose: 'suspension' })

  it('accepts what bitstringStatusEntry builds, and entries without id', () => {
    expect(parseBitstringStatusEntry(good)).toEqual(good)
    const { id: _, ...noId } = good
    expect(parseBitstringStatusEntry(noId)).toEqual(good)
    expect(parseBitstringStatusEntry({ ...good, statusSize: 1 })).toEqual(good)
    expect(parseBitstringStatusEntry({ ...good, statusListIndex: '0' })?.statusListIndex).toBe('0')
    expect(
      parseBitstringStatusEntry({ ...good, statusListCredential: 'http://localhost:8080/s' }),
    ).toBeDefined()
  })

  it('refuses anything else', () => {
    for (const bad of [
      null,
      'x',
      [good],
      { ...good, type: 'StatusList2021Entry' },
      { ...good, statusPurpose: 'message' },
      { ...good, statusPurpose: undefined },
      { ...good, statusListIndex: 7 },
      { ...good, statusListIndex: '07' },
      { ...good, statusListIndex: '-1' },
      { ...good, statusListIndex: '1e3' },
      { ...good, statusListIndex: ' 7' },
      { ...good, statusListIndex: '' },
      { ...good, statusListIndex: '99999999999999999' },
      { ...good, statusListCredential: 'javascript:alert(1)' },
      { ...good, statusListCredential: 'file:///etc/passwd' },
      { ...good, statusListCredential: `${listUrl}#x` },
      { ...good, statusListCredential: 42 },
      { ...good, statusSize: 2 },
      { ...good, id: 5 },
    ]) {
      expect(parseBitstringStatusEntry(bad)).toBeUndefined()
    }
  })
})
