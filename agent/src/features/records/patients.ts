import type { CreatedOfferResponse as CreatedOffer } from '@clavis/api'
import { checkClaims, type PatientIdentityClaims } from '@clavis/credentials'
import { ClavisError } from '@clavis/errors'
import type { Patient } from '@medplum/fhirtypes'
import type { AgentContext } from '../../context'
import { isUniqueViolation } from '../../db/sql'
import { newId, nowIso } from '../../util/ids'
import { createOffer } from '../oid4vci/offers'
import { getOrganisation } from '../organisations/organisations'
import { PatientEntity, type PatientRow } from './entities'
import { putRecords } from './store'

/** The FHIR Patient a registration creates from the identity claims (name, birth date, identifier, address). */
export function patientResource(id: string, claims: PatientIdentityClaims): Patient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [{ system: claims.identifier.system, value: claims.identifier.value }],
    name: [{ use: 'official', family: claims.name.family, given: [...claims.name.given] }],
    birthDate: claims.birthDate,
    ...(claims.address
      ? { address: [{ ...claims.address, line: claims.address.line && [...claims.address.line] }] }
      : {}),
  }
}

export interface RegisteredPatient {
  id: string
  did: string | null
  createdAt: string
}

const toPatient = (row: PatientRow): RegisteredPatient => ({
  id: row.id,
  did: row.did,
  createdAt: row.createdAt,
})

/**
 * A hospital registers a patient: their FHIR Patient (from the identity claims, checked), any
 * records given (validated), and an identity credential offer. When the patient's wallet redeems
 * the offer, the DID it was issued to is linked to the patient (`linkPatientOfOffer`): that DID's
 * grants open this patient's records.
 */
export async function registerPatient(
  ctx: AgentContext,
  input: {
    organisationId: string
    claims: unknown
    records?: readonly unknown[] | undefined
    validUntil?: string | undefined
    /** Generated records for the new patient (demo agents). */
    synthetic?: ((patientId: string) => readonly unknown[]) | undefined
  },
): Promise<{ patient: RegisteredPatient; offer: CreatedOffer }> {
  const org = await getOrganisation(ctx, input.organisationId)
  if (org.kind !== 'hospital')
    throw new ClavisError({ code: 'forbidden', message: 'Only a hospital registers patients.' })
  const checked = checkClaims({ type: 'PatientIdentityCredential', claims: input.claims })
  if (!checked.ok)
    throw new ClavisError({
      code: 'invalid_claims',
      message: 'The identity claims are not valid; see issues.',
      issues: checked.error.map((i) => ({ path: `claims.${i.path}`, code: i.code, message: i.message })),
    })
  const claims = checked.value as PatientIdentityClaims
  const id = `pat-${newId().slice(0, 20)}`
  const offer = await createOffer(ctx, {
    organisationId: org.id,
    request: { type: 'PatientIdentityCredential', claims, validUntil: input.validUntil },
  })
  const row: PatientRow = { organisationId: org.id, id, did: null, offerId: offer.id, createdAt: nowIso() }
  const stored = await ctx.db.transaction(async (m) => {
    await m.getRepository(PatientEntity).insert(row)
    return putRecords(ctx, {
      organisationId: org.id,
      patientId: id,
      resources: [patientResource(id, claims), ...(input.records ?? []), ...(input.synthetic?.(id) ?? [])],
      manager: m,
    })
  })
  await ctx.audit.record({ kind: 'patient.registered', organisationId: org.id, patientId: id })
  await ctx.audit.record({ kind: 'records.stored', organisationId: org.id, patientId: id, resources: stored })
  return { patient: toPatient(row), offer }
}

/** Links the DID an identity credential was issued to with the patient registered for that offer. */
export async function linkPatientOfOffer(
  ctx: AgentContext,
  input: { organisationId: string; offerId: string; did: string },
): Promise<void> {
  const repo = ctx.db.getRepository(PatientEntity)
  const row = await repo.findOneBy({ organisationId: input.organisationId, offerId: input.offerId })
  if (!row || row.did === input.did) return
  try {
    await repo.update({ organisationId: row.organisationId, id: row.id }, { did: input.did })
  } catch (e) {
    if (!isUniqueViolation(e)) throw e
    // The DID is another patient's here already: the credential is issued, the link is not made.
    ctx.log.error('patient not linked: the DID is already linked to another patient', {
      organisationId: row.organisationId,
      patientId: row.id,
    })
    return
  }
  await ctx.audit.record({
    kind: 'patient.linked',
    organisationId: row.organisationId,
    patientId: row.id,
    patientDid: input.did,
  })
}

export async function listPatients(ctx: AgentContext, organisationId: string): Promise<RegisteredPatient[]> {
  const rows = await ctx.db
    .getRepository(PatientEntity)
    .find({ where: { organisationId }, order: { createdAt: 'DESC' }, take: 500 })
  return rows.map(toPatient)
}

export async function getPatient(
  ctx: AgentContext,
  input: { organisationId: string; patientId: string },
): Promise<RegisteredPatient> {
  const row = await ctx.db
    .getRepository(PatientEntity)
    .findOneBy({ organisationId: input.organisationId, id: input.patientId })
  if (!row)
    throw new ClavisError({ code: 'not_found', message: `No patient "${input.patientId}" at this hospital.` })
  return toPatient(row)
}

/** The patient of this hospital whose identity credential was issued to `did`, if any. */
export async function patientByDid(
  ctx: AgentContext,
  input: { organisationId: string; did: string },
): Promise<RegisteredPatient | undefined> {
  const row = await ctx.db
    .getRepository(PatientEntity)
    .findOneBy({ organisationId: input.organisationId, did: input.did })
  return row ? toPatient(row) : undefined
}
