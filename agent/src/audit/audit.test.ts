import { describe, expect, it } from 'vitest'
import type { Logger } from '../util/log'
import { auditedChecks, failSafeAudit, logAudit, memoryAudit } from './audit'

function recordingLog(): Logger & { lines: { level: string; message: string; fields?: unknown }[] } {
  const lines: { level: string; message: string; fields?: unknown }[] = []
  return {
    lines,
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    error: (message, fields) => lines.push({ level: 'error', message, fields }),
    debug: () => {},
  }
}

describe('audit port', () => {
  it('memoryAudit keeps events in order with a time', async () => {
    const audit = memoryAudit()
    await audit.record({ kind: 'organisation.token_reset', organisationId: 'o1' })
    await audit.record({ kind: 'status_list.uploaded', did: 'did:ethr:0x7a69:0x01', name: 'grants' })
    expect(audit.events.map((e) => e.kind)).toEqual(['organisation.token_reset', 'status_list.uploaded'])
    expect(Date.parse(audit.events[0]!.at)).not.toBeNaN()
  })

  it('logAudit writes one audit line per event', async () => {
    const log = recordingLog()
    await logAudit(log).record({ kind: 'trust.added', organisationId: 'o1', issuer: 'did:x', types: ['T'] })
    expect(log.lines).toEqual([
      {
        level: 'info',
        message: 'audit',
        fields: expect.objectContaining({ kind: 'trust.added', issuer: 'did:x' }),
      },
    ])
  })

  it('failSafeAudit logs a failing sink instead of throwing', async () => {
    const log = recordingLog()
    const broken = { record: async () => Promise.reject(new Error('disk full')) }
    await expect(
      failSafeAudit(broken, log).record({ kind: 'organisation.token_reset', organisationId: 'o1' }),
    ).resolves.toBeUndefined()
    expect(log.lines[0]).toMatchObject({ level: 'error', message: 'audit event not recorded' })
  })

  it('auditedChecks keeps pass/fail and code, never the reason (it may quote input)', () => {
    expect(
      auditedChecks({
        signature: { passed: true },
        status: { passed: false, code: 'revoked', reason: 'revoked at index 7 of https://…' } as never,
      }),
    ).toEqual({ signature: { passed: true }, status: { passed: false, code: 'revoked' } })
  })
})
