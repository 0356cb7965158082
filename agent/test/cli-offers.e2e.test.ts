import { describe, expect, it } from 'vitest'
import { useCliKit } from './cli-kit'
import { licenceClaims } from './harness'

// `clavis offer`: staff make an OpenID4VCI offer from the terminal and follow it.

const { t, io, cli, file } = useCliKit()

describe('CLI: offer licence, offer status', () => {
  it('prints the offer link, a QR code and the transaction code; status follows the offer', async () => {
    const claims = file('licence.json', JSON.stringify(licenceClaims()))
    expect(
      await cli([
        'offer',
        'licence',
        '--claims',
        claims,
        '--valid-until',
        '2028-06-01',
        '--format',
        'sd-jwt',
      ]),
    ).toBe(0)
    expect(io.out).toMatch(/offer\s+openid-credential-offer:\/\/\?credential_offer_uri=/)
    expect(io.out).toMatch(/transaction code\s+\d{6}/)
    expect(io.out).toContain('ClinicianLicenseCredential_dc_sd_jwt')
    // The QR code: block characters of a compact Unicode rendering.
    expect(io.out).toMatch(/[█▀▄]{10}/)
    const id = /clavis offer status (\S+)/.exec(io.err + io.out)?.[1]
    expect(id).toBeDefined()
    io.out = ''
    io.err = ''
    expect(await cli(['offer', 'status', id!])).toBe(0)
    expect(io.out).toMatch(/state\s+offered/)
    const staff = await t.request('GET', `/v1/organisations/${t.board.id}/offers/${id}`, {
      token: t.board.token,
    })
    expect(staff.body.configurationIds).toEqual(['ClinicianLicenseCredential_dc_sd_jwt'])
  })

  it('--json prints the answer; usage errors exit 2 with what to do', async () => {
    const claims = file('licence2.json', JSON.stringify(licenceClaims()))
    const code = await cli([
      'offer',
      'licence',
      '--claims',
      claims,
      '--valid-until',
      '2028-06-01',
      '--json',
      '--no-qr',
    ])
    expect(code, io.err + io.out).toBe(0)
    const answer = JSON.parse(io.out) as { txCode: string; offerUri: string }
    expect(answer.txCode).toMatch(/^\d{6}$/)
    io.out = ''
    io.err = ''
    expect(await cli(['offer', 'grant', '--claims', claims])).toBe(2)
    expect(io.err).toMatch(/Cannot offer "grant"/)
    io.out = ''
    io.err = ''
    expect(await cli(['offer', 'licence'])).toBe(2)
    expect(io.err).toMatch(/--claims FILE/)
    io.out = ''
    io.err = ''
    expect(await cli(['offer', 'licence', '--claims', claims, '--ttl', '0'])).toBe(2)
    io.out = ''
    io.err = ''
    expect(await cli(['offer', 'identity', '--claims', claims])).toBe(1)
    expect(io.err).toMatch(/offers ClinicianLicenseCredential/)
  })
})
