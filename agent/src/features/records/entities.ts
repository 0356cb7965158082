import { EntitySchema } from 'typeorm'
import { isoTimeColumn } from '../../db/columns'

// The tables this slice owns (migration 010).

/** A patient of a hospital: the FHIR Patient's id there, and the DID their identity credential was issued to. */
export interface PatientRow {
  organisationId: string
  id: string
  /** Linked when the identity credential offered at registration is issued to the patient's wallet. */
  did: string | null
  offerId: string | null
  createdAt: string
}

export const PatientEntity = new EntitySchema<PatientRow>({
  name: 'clavis_patient',
  columns: {
    organisationId: { type: 'varchar', length: 64, primary: true, name: 'organisation_id' },
    id: { type: 'varchar', length: 64, primary: true },
    did: { type: 'varchar', length: 200, nullable: true },
    offerId: { type: 'varchar', length: 64, nullable: true, name: 'offer_id' },
    createdAt: { ...isoTimeColumn, name: 'created_at' },
  },
})

/** One FHIR R4 resource of a patient, as validated and stored (JSON). */
export interface FhirResourceRow {
  organisationId: string
  resourceType: string
  id: string
  patientId: string
  resource: string
  lastUpdated: string
}

export const FhirResourceEntity = new EntitySchema<FhirResourceRow>({
  name: 'clavis_fhir_resource',
  columns: {
    organisationId: { type: 'varchar', length: 64, primary: true, name: 'organisation_id' },
    resourceType: { type: 'varchar', length: 40, primary: true, name: 'resource_type' },
    id: { type: 'varchar', length: 64, primary: true },
    patientId: { type: 'varchar', length: 64, name: 'patient_id' },
    resource: { type: 'text' },
    lastUpdated: { ...isoTimeColumn, name: 'last_updated' },
  },
})
