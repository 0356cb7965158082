import { describe, expect, it } from 'vitest'
import { dateRange, valueRange } from './date-range'

const iso = (r: { start: number; end: number } | undefined) =>
  r && [new Date(r.start).toISOString(), Number.isFinite(r.end) ? new Date(r.end).toISOString() : r.end]

describe('dateRange', () => {
  it('covers what the precision implies', () => {
    expect(iso(dateRange('2024'))).toEqual(['2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'])
    expect(iso(dateRange('2024-02'))).toEqual(['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'])
    expect(iso(dateRange('2024-04'))).toEqual(['2024-04-01T00:00:00.000Z', '2024-05-01T00:00:00.000Z'])
    expect(iso(dateRange('2024-02-29'))).toEqual(['2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z'])
    expect(iso(dateRange('2024-02-10T08:30Z'))).toEqual([
      '2024-02-10T08:30:00.000Z',
      '2024-02-10T08:31:00.000Z',
    ])
    expect(iso(dateRange('2024-02-10T08:30:00+01:00'))).toEqual([
      '2024-02-10T07:30:00.000Z',
      '2024-02-10T07:30:01.000Z',
    ])
    expect(iso(dateRange('2024-02-10T08:30:00.250Z'))).toEqual([
      '2024-02-10T08:30:00.250Z',
      '2024-02-10T08:30:00.251Z',
    ])
    expect(iso(dateRange('0050-06'))).toEqual(['0050-06-01T00:00:00.000Z', '0050-07-01T00:00:00.000Z'])
  })

  it('refuses what is not a date', () => {
    for (const bad of [
      '2024-13',
      '2023-02-29',
      '2024-04-31',
      '2024-02-10T24:00Z',
      '24-02-10',
      '2024-2-1',
      'today',
      '',
    ]) {
      expect(dateRange(bad), bad).toBeUndefined()
    }
  })
})

describe('valueRange', () => {
  it('reads periods, open ends unbounded', () => {
    expect(iso(valueRange({ start: '2024-02-10', end: '2024-02' }))).toEqual([
      '2024-02-10T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
    ])
    expect(iso(valueRange({ start: '2024' }))).toEqual(['2024-01-01T00:00:00.000Z', Number.POSITIVE_INFINITY])
    expect(valueRange({})).toBeUndefined()
    expect(valueRange({ start: 'soon' })).toBeUndefined()
    expect(valueRange(42)).toBeUndefined()
  })
})
