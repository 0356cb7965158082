import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli/main'
import { useCliKit } from './cli-kit'
import { TEST_DATABASE } from './database'
import { CLINICIAN_DID, inDays, licenceClaims } from './harness'

// The CLI in-process against a real agent over HTTP (embedded chain, SQLite).

const { t, io, cli, file, licenceFile, dir: scratch } = useCliKit()

describe('happy paths', () => {
  it('health prints the chain for people', async () => {
    expect(await cli(['health'])).toBe(0)
    expect(io.out).toMatch(/chain id\s+31337/)
    expect(io.out).toMatch(new RegExp(`database\\s+${TEST_DATABASE}`))
  })

  it('health --json prints the API answer', async () => {
    expect(await cli(['health', '--json'])).toBe(0)
    const h = JSON.parse(io.out)
    expect(h.chain.chainId).toBe(31337)
    expect(h.database.type).toBe(TEST_DATABASE)
  })

  it('org list shows the demo organisations', async () => {
    expect(await cli(['org', 'list'])).toBe(0)
    expect(io.out).toContain(t.board.id)
    expect(io.out).toContain(t.hospital.did)
  })

  it('org create (operator) prints the DID and a staff token that works', async () => {
    expect(await cli(['org', 'create', '--name', 'CLI Hospital', '--kind', 'hospital', '--json'])).toBe(0)
    const created = JSON.parse(io.out)
    expect(created.organisation.did).toMatch(/^did:ethr:0x7a69:0x/)
    io.out = ''
    expect(await cli(['whoami', '--json'], { CLAVIS_TOKEN: created.token })).toBe(0)
    expect(JSON.parse(io.out).organisation.name).toBe('CLI Hospital')
  })

  it('whoami names the organisation', async () => {
    expect(await cli(['whoami'])).toBe(0)
    expect(io.out).toMatch(/role\s+staff/)
    expect(io.out).toContain(t.board.did)
  })

  it('did resolve prints the DID document', async () => {
    expect(await cli(['did', 'resolve', t.hospital.did])).toBe(0)
    expect(JSON.parse(io.out).didDocument.id).toBe(t.hospital.did)
  })

  it('did add-service adds an endpoint on chain', async () => {
    const code = await cli([
      'did',
      'add-service',
      '--type',
      'LinkedDomains',
      '--endpoint',
      'https://cli.example.org/',
    ])
    expect(code).toBe(0)
    expect(io.out).toMatch(/service added \(tx 0x[0-9a-f]{64}\)/)
    const doc = (await t.request('GET', `/v1/dids/${t.board.did}`)).body.didDocument
    expect(doc.service.map((s: { serviceEndpoint: string }) => s.serviceEndpoint)).toContain(
      'https://cli.example.org/',
    )
  })

  it('issue licence from a claims file prints the id and the JWT', async () => {
    const claims = file('claims.json', JSON.stringify(licenceClaims()))
    const code = await cli([
      'issue',
      'licence',
      '--subject',
      CLINICIAN_DID,
      '--claims',
      claims,
      '--valid-until',
      inDays(30),
    ])
    expect(code).toBe(0)
    // The credential alone on stdout (so `> file` and pipes get just it); the rest on stderr.
    expect(io.out).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/)
    expect(io.err).toMatch(/type: ClinicianLicenseCredential/)
    expect(io.err).toMatch(/^id: [0-9a-f-]{36}$/m)
  })

  it('credentials list shows what the board issued', async () => {
    const before = (
      await t.request('GET', `/v1/organisations/${t.board.id}/credentials`, { token: t.board.token })
    ).body.total
    await licenceFile()
    expect(await cli(['credentials', 'list', '--json'])).toBe(0)
    const listed = JSON.parse(io.out)
    expect(listed.total).toBe(before + 1)
    expect(listed.credentials[0].subject).toBe(CLINICIAN_DID)
  })

  it('verify with --verifier: exit 0 and VALID', async () => {
    expect(await cli(['verify', await licenceFile(), '--verifier', t.hospital.id])).toBe(0)
    expect(io.out).toMatch(/^VALID/)
    expect(io.out).not.toContain('FAIL')
  })

  it('verify without a verifier: exit 1, NOT VALID and the reason', async () => {
    expect(await cli(['verify', await licenceFile()], { CLAVIS_TOKEN: '' })).toBe(1)
    expect(io.out).toMatch(/^NOT VALID/)
    expect(io.out).toMatch(/FAIL issuerTrust\s+untrusted_issuer: No verifier named/)
  })

  it('verify --json prints the envelope and still exits 1 when not valid', async () => {
    expect(await cli(['verify', await licenceFile(), '--json'], { CLAVIS_TOKEN: '' })).toBe(1)
    expect(JSON.parse(io.out)).toMatchObject({
      valid: false,
      checks: { issuerTrust: { code: 'untrusted_issuer' } },
    })
  })

  it('trust list shows the board for licences', async () => {
    expect(await cli(['trust', 'list'], { CLAVIS_TOKEN: t.hospital.token })).toBe(0)
    expect(io.out).toContain(t.board.did)
    expect(io.out).toContain('ClinicianLicenseCredential')
  })

  it('--help prints usage and exits 0', async () => {
    expect(await cli(['--help'])).toBe(0)
    expect(io.out).toContain('Usage: clavis')
  })
})

describe('errors', () => {
  it('no arguments: usage and exit 2', async () => {
    expect(await cli([])).toBe(2)
    expect(io.err).toContain('Usage: clavis')
  })

  it('unknown command: exit 2', async () => {
    expect(await cli(['frobnicate'])).toBe(2)
    expect(io.err).toContain("unknown command 'frobnicate'")
  })

  it('a command name that is an Object property is still unknown: exit 2', async () => {
    expect(await cli(['constructor'])).toBe(2)
    expect(io.err).toContain('unknown command')
  })

  it('unknown flag: exit 2', async () => {
    expect(await cli(['health', '--frob'])).toBe(2)
    expect(io.err).toContain('--frob')
  })

  it('missing --claims: exit 2 naming --claims', async () => {
    expect(await cli(['issue', 'licence', '--subject', CLINICIAN_DID])).toBe(2)
    expect(io.err).toContain('--claims')
  })

  it('a claims file that is not JSON: exit 2', async () => {
    const bad = file('bad.json', '{ name: nope')
    expect(await cli(['issue', 'licence', '--subject', CLINICIAN_DID, '--claims', bad])).toBe(2)
    expect(io.err).toContain('is not JSON')
  })

  it('a claims file that does not exist: exit 2', async () => {
    expect(
      await cli(['issue', 'licence', '--subject', CLINICIAN_DID, '--claims', join(scratch(), 'nope.json')]),
    ).toBe(2)
    expect(io.err).toContain('Cannot read')
  })

  it('bad claims: exit 1 with the field path and invalid_claims', async () => {
    const claims = file('california.json', JSON.stringify({ ...licenceClaims(), jurisdiction: 'California' }))
    const code = await cli([
      'issue',
      'licence',
      '--subject',
      CLINICIAN_DID,
      '--claims',
      claims,
      '--valid-until',
      inDays(30),
    ])
    expect(code).toBe(1)
    expect(io.err).toContain(`in ${claims}: jurisdiction`)
    expect(io.err).toContain('[invalid_claims]')
  })

  it('wrong token: exit 1 [unauthorized]', async () => {
    expect(await cli(['whoami'], { CLAVIS_TOKEN: 'wrong' })).toBe(1)
    expect(io.err).toContain('[unauthorized]')
  })

  it('no staff token: exit 2 telling how to pass one', async () => {
    expect(await runCli(['whoami'], { CLAVIS_AGENT_URL: t.url })).toBe(2)
    expect(io.err).toContain('CLAVIS_TOKEN')
  })

  it('agent unreachable: exit 1 telling to start the agent', async () => {
    expect(await cli(['health'], { CLAVIS_AGENT_URL: 'http://127.0.0.1:1' })).toBe(1)
    expect(io.err).toContain('Cannot reach the agent')
    expect(io.err).toMatch(/Start it/)
    expect(io.err).toContain('[agent_unreachable]')
  })

  it('did deactivate without --yes: exit 2', async () => {
    expect(await cli(['did', 'deactivate'])).toBe(2)
    expect(io.err).toContain('--yes')
  })

  it('an error with --json prints { error: { code, message } } on stdout', async () => {
    expect(await cli(['whoami', '--json'], { CLAVIS_TOKEN: 'wrong' })).toBe(1)
    const body = JSON.parse(io.out)
    expect(body.error.code).toBe('unauthorized')
    expect(body.error.message.length).toBeGreaterThan(0)
  })

  it('a usage error with --json prints JSON on stdout too', async () => {
    expect(await cli(['frobnicate', '--json'])).toBe(2)
    expect(JSON.parse(io.out).error.code).toBe('usage')
  })

  it('an unknown flag with --json prints JSON on stdout too', async () => {
    expect(await cli(['health', '--json', '--frob'])).toBe(2)
    expect(JSON.parse(io.out).error.code).toBe('usage')
  })

  it('a field error from the API names the field', async () => {
    const code = await cli([
      'did',
      'add-service',
      '--type',
      'LinkedDomains',
      '--endpoint',
      'http://evil.example',
    ])
    expect(code).toBe(1)
    expect(io.err).toContain('--endpoint: ')
    expect(io.err).toContain('[invalid_request]')
  })
})
