import { describe, expect, it } from 'vitest'
import { holds, type Permission, ROLE_PERMISSIONS } from './auth'

const operator = { role: 'admin' } as const
const staffOfA = { role: 'staff', organisationId: 'A' } as const

describe('access policy (roles as data)', () => {
  it('the operator creates organisations and resets tokens, but acts for no organisation', () => {
    expect(holds(operator, 'organisations:create')).toBe(true)
    expect(holds(operator, 'organisations:token')).toBe(true)
    expect(holds(operator, 'health:details')).toBe(true)
    expect(holds(operator, 'organisation:read', 'A')).toBe(false)
    expect(holds(operator, 'organisation:write', 'A')).toBe(false)
  })

  it('staff act for their own organisation only', () => {
    expect(holds(staffOfA, 'organisation:read', 'A')).toBe(true)
    expect(holds(staffOfA, 'organisation:write', 'A')).toBe(true)
    expect(holds(staffOfA, 'organisation:write', 'B')).toBe(false)
    expect(holds(staffOfA, 'organisation:read', undefined)).toBe(false)
    expect(holds(staffOfA, 'organisations:create')).toBe(false)
    expect(holds(staffOfA, 'health:details')).toBe(false)
  })

  it('every permission is held by some role; no role holds a permission twice', () => {
    const all: Permission[] = [
      'organisations:create',
      'organisations:token',
      'health:details',
      'organisation:read',
      'organisation:write',
    ]
    const held = Object.values(ROLE_PERMISSIONS).flat()
    for (const p of all) expect(held).toContain(p)
    for (const perms of Object.values(ROLE_PERMISSIONS)) expect(new Set(perms).size).toBe(perms.length)
  })
})
