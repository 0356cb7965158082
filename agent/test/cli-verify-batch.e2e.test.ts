import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { useCliKit } from './cli-kit'

// `clavis verify --batch FILE`: a hospital re-checks its stored licences (one per line) on the
// agent's verification workers, 1000 per request, with progress on stderr.

const { t, io, cli, file, licenceFile } = useCliKit()
const asHospital = () => ({ CLAVIS_TOKEN: t.hospital.token })

const licenceJwt = async () => readFileSync(await licenceFile(), 'utf8').trim()

describe('clavis verify --batch', () => {
  it('verifies every line, says which are not valid and why, and shows progress', async () => {
    const good = await licenceJwt()
    const revokedFile = await licenceFile()
    expect(await cli(['status', 'revoke', '--credential', revokedFile])).toBe(0)
    const revoked = readFileSync(revokedFile, 'utf8').trim()
    const lines = ['# licences on file', ...Array.from({ length: 1200 }, () => good), '']
    lines[500] = revoked
    lines[900] = 'not a credential'
    const batch = file('licences.txt', lines.join('\n'))
    io.out = ''
    io.err = ''

    expect(await cli(['verify', '--batch', batch], asHospital())).toBe(1)
    expect(io.out).toContain('line 501  NOT VALID  ClinicianLicenseCredential from')
    expect(io.out).toMatch(/status: revoked: The issuer revoked this credential/)
    expect(io.out).toMatch(/line 901 {2}NOT VALID\n {2}signature: malformed:/)
    expect(io.out).toMatch(/1200 credentials verified in [\d.]+ s \(\d+\/s\): 1198 valid, 2 not valid\n$/)
    // Two requests (1000 + 200) in flight together, a progress line before and after each: the
    // one in between is whichever finished first.
    expect(io.err).toMatch(/^verified 0\/1200 {2}0 valid/)
    expect(io.err).toMatch(
      /verified (1000\/1200 {2}998 valid {2}2|200\/1200 {2}200 valid {2}0) not valid {2}\d+\/s/,
    )
    expect(io.err).toMatch(/verified 1200\/1200 {2}1198 valid {2}2 not valid/)
  })

  it('--json gives every envelope with its line; exit 0 when all are valid', async () => {
    const good = await licenceJwt()
    const batch = file('good.txt', `${good}\n\n${good}\n`)
    expect(await cli(['verify', '--batch', batch, '--json'], asHospital())).toBe(0)
    const out = JSON.parse(io.out)
    expect(out.verifier).toBe(t.hospital.id)
    expect(out.summary).toMatchObject({ total: 2, valid: 2, notValid: 0 })
    expect(out.results.map((r: { line: number; valid: boolean }) => [r.line, r.valid])).toEqual([
      [1, true],
      [3, true],
    ])
  })

  it('refuses an empty file (exit 2) and another organisation as verifier (exit 1, forbidden)', async () => {
    expect(await cli(['verify', '--batch', file('empty.txt', '\n# nothing\n')], asHospital())).toBe(2)
    expect(io.err).toMatch(/holds no credentials/)
    io.err = ''
    const batch = file('one.txt', `${await licenceJwt()}\n`)
    expect(await cli(['verify', '--batch', batch, '--verifier', t.hospital.id])).toBe(1)
    expect(io.err).toMatch(/does not belong to that organisation/)
  })
})
