import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setGlobalConfig } from '@openid4vc/oauth2'
import { beforeAll, describe, expect, it } from 'vitest'
import { useCliKit } from './cli-kit'
import { inDays, licenceClaims } from './harness'
import { LICENCE_VCT, sdJwtQuery, vpRequestOf, vpResultOf } from './oid4vc-kit'

// `clavis wallet`: a holder's encrypted wallet file on @clavis/holder — create, receive an offer,
// list, present to a verifier's OpenID4VP request — against a real agent.

const { t, io, cli, dir } = useCliKit()
const PASS = { CLAVIS_WALLET_PASSPHRASE: 'correct horse battery staple' }

beforeAll(() => {
  setGlobalConfig({ allowInsecureUrls: true })
})

describe('CLI: wallet create, receive, list, present', () => {
  it('receives a licence from an offer and presents it at check-in, sharing only what is asked', async () => {
    const wallet = join(dir(), 'clinician.wallet')
    expect(await cli(['wallet', 'create', '--wallet', wallet], PASS)).toBe(0)
    expect(io.out).toMatch(/did\s+did:ethr:0x7a69:0x0[23]/)
    expect(statSync(wallet).mode & 0o777).toBe(0o600)
    // Encrypted at rest: neither the key nor the DID is in the file as text.
    expect(readFileSync(wallet, 'utf8')).not.toMatch(/did:ethr|privateKey/)

    const offer = await t.request('POST', `/v1/organisations/${t.board.id}/offers`, {
      token: t.board.token,
      body: {
        type: 'ClinicianLicenseCredential',
        claims: licenceClaims(),
        validUntil: inDays(365),
        formats: ['dc+sd-jwt'],
      },
    })
    io.out = ''
    expect(await cli(['wallet', 'receive', offer.body.offerUri, '--wallet', wallet], PASS)).toBe(2)
    expect(io.err).toMatch(/--tx-code/)
    expect(
      await cli(
        ['wallet', 'receive', offer.body.offerUri, '--tx-code', offer.body.txCode, '--wallet', wallet],
        PASS,
      ),
    ).toBe(0)
    expect(io.out).toMatch(/received\s+ClinicianLicenseCredential \(dc\+sd-jwt\) from Demo Medical Board/)
    io.out = ''
    expect(await cli(['wallet', 'list', '--wallet', wallet], PASS)).toBe(0)
    expect(io.out).toMatch(/ClinicianLicenseCredential\s+dc\+sd-jwt\s+Demo Medical Board/)

    const request = {
      body: await vpRequestOf(t, t.hospital, {
        dcql: {
          credentials: [
            {
              id: 'licence',
              format: 'dc+sd-jwt',
              meta: { vct_values: ['urn:clavis:vct:ClinicianLicenseCredential:1'] },
              claims: [{ path: ['licenseNumber'] }],
            },
          ],
        },
      }),
    }
    // Without --yes nothing is shared: the request is shown and stays open.
    io.err = ''
    expect(await cli(['wallet', 'present', request.body.requestUri, '--wallet', wallet], PASS)).toBe(2)
    expect(io.err).toMatch(/Demo General Hospital \(did:ethr:.*\) asks for:/)
    expect(io.err).toMatch(/licence: ClinicianLicenseCredential .* — licenseNumber/)
    const status = async () => ({ body: await vpResultOf(t, t.hospital, request.body.id) }).body
    expect((await status()).state).toBe('pending')
    expect(await cli(['wallet', 'present', request.body.requestUri, '--yes', '--wallet', wallet], PASS)).toBe(
      0,
    )
    const answered = await status()
    expect(answered.result.valid).toBe(true)
    expect(answered.result.presentations.licence[0].claims).toEqual({ licenseNumber: 'A-123456' })
  })

  it('an offer of both formats gives the wallet both, so it answers a verifier asking for either', async () => {
    const wallet = join(dir(), 'both.wallet')
    expect(await cli(['wallet', 'create', '--wallet', wallet], PASS)).toBe(0)
    const offer = await t.request('POST', `/v1/organisations/${t.board.id}/offers`, {
      token: t.board.token,
      body: { type: 'ClinicianLicenseCredential', claims: licenceClaims(), validUntil: inDays(365) },
    })
    io.out = ''
    expect(
      await cli(
        ['wallet', 'receive', offer.body.offerUri, '--tx-code', offer.body.txCode, '--wallet', wallet],
        PASS,
      ),
    ).toBe(0)
    expect(io.out).toMatch(/\(jwt_vc_json\)/)
    expect(io.out).toMatch(/\(dc\+sd-jwt\)/)
    for (const dcql of [
      sdJwtQuery('licence', LICENCE_VCT, ['licenseNumber']),
      {
        credentials: [
          { id: 'licence', format: 'jwt_vc_json', meta: { type_values: [['ClinicianLicenseCredential']] } },
        ],
      },
    ]) {
      const request = await vpRequestOf(t, t.hospital, { dcql })
      expect(await cli(['wallet', 'present', request.requestUri, '--yes', '--wallet', wallet], PASS)).toBe(0)
      expect((await vpResultOf(t, t.hospital, request.id)).result.valid).toBe(true)
    }
  })

  it('a wrong passphrase never opens the wallet; an existing wallet is never overwritten', async () => {
    const wallet = join(dir(), 'patient.wallet')
    expect(await cli(['wallet', 'create', '--wallet', wallet], PASS)).toBe(0)
    io.err = ''
    expect(
      await cli(['wallet', 'list', '--wallet', wallet], { CLAVIS_WALLET_PASSPHRASE: 'not the passphrase' }),
    ).toBe(1)
    expect(io.err).toMatch(/Wrong passphrase/)
    expect(await cli(['wallet', 'create', '--wallet', wallet], PASS)).toBe(2)
    expect(await cli(['wallet', 'list', '--wallet', join(dir(), 'missing.wallet')], PASS)).toBe(2)
  })
})

describe('CLI: ask', () => {
  it('asks with a ready-made query or a DCQL file; usage errors exit 2; an unanswered request exits 1', async () => {
    const hospital = { CLAVIS_TOKEN: t.hospital.token }
    expect(await cli(['ask'], hospital)).toBe(2)
    expect(await cli(['ask', 'grant'], hospital)).toBe(2)
    io.out = ''
    expect(await cli(['ask', 'identity', '--json', '--no-qr'], hospital)).toBe(0)
    const asked = JSON.parse(io.out) as { id: string; requestUri: string }
    expect(asked.requestUri).toMatch(/^openid4vp:\/\//)
    io.out = ''
    expect(await cli(['ask', 'result', asked.id], hospital)).toBe(1)
    expect(io.out).toMatch(/state\s+pending/)
    const bad = join(dir(), 'bad-dcql.json')
    writeFileSync(bad, JSON.stringify({ credentials: [{ id: 'x', format: 'mso_mdoc', meta: {} }] }))
    io.err = ''
    expect(await cli(['ask', '--dcql', bad], hospital)).toBe(1)
    expect(io.err).toMatch(/mso_mdoc/)
  })
})
