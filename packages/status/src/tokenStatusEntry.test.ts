import { describe, expect, it } from 'vitest'
import { errorCode } from '../test/kits/errors'
import { parseTokenStatusEntry, tokenStatusEntry } from './tokenStatusEntry'

const uri = 'https://agent.example/status/2'

describe('tokenStatusEntry', () => {
  it('builds and parses the status claim', () => {
    const entry = tokenStatusEntry({ uri, idx: 1234 })
    expect(entry).toEqual({ status_list: { idx: 1234, uri } })
    expect(parseTokenStatusEntry(entry)).toEqual(entry)
    expect(parseTokenStatusEntry({ status_list: { idx: 0, uri } })).toEqual({ status_list: { idx: 0, uri } })
  })

  it('refuses bad input when building', () => {
    expect(errorCode(() => tokenStatusEntry({ uri: 'ftp://x.example/', idx: 1 }))).toBe('invalid_entry')
    expect(errorCode(() => tokenStatusEntry({ uri, idx: -1 }))).toBe('invalid_entry')
    expect(errorCode(() => tokenStatusEntry({ uri, idx: 0.5 }))).toBe('invalid_entry')
  })

  it('refuses malformed claims when parsing', () => {
    for (const bad of [
      undefined,
      null,
      { status_list: null },
      { status_list: [] },
      { status_list: { idx: '1', uri } },
      { status_list: { idx: -1, uri } },
      { status_list: { idx: 1.5, uri } },
      { status_list: { idx: 2 ** 53, uri } },
      { status_list: { idx: 1 } },
      { status_list: { idx: 1, uri: 'data:text/plain,x' } },
      { status_list: { idx: 1, uri: `${uri}#frag` } },
      { idx: 1, uri },
    ]) {
      expect(parseTokenStatusEntry(bad)).toBeUndefined()
    }
  })
})
