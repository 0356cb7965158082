import { putRecordsRequest, registerPatientRequest } from '@clavis/api'
import { ClavisError } from '@clavis/errors'
import { Hono } from 'hono'
import type { AgentContext } from '../../context'
import { type AuthEnv, allow } from '../../http/auth'
import { readBody } from '../../http/body'
import { syntheticRecordsFor } from './fhir/synthetic'
import { getPatient, listPatients, registerPatient } from './patients'
import { putRecords } from './store'

/** A hospital's staff register patients and keep their FHIR records (`/v1`). */
export function patientRoutes(ctx: AgentContext): Hono<AuthEnv> {
  return new Hono<AuthEnv>()
    .post('/organisations/:id/patients', allow(ctx, 'organisation:write'), async (c) => {
      const body = await readBody(c, registerPatientRequest)
      if (body.syntheticRecords && !ctx.config.demo)
        throw new ClavisError({
          code: 'forbidden',
          message:
            'Synthetic records are for the demo agent only (CLAVIS_DEMO); send real records in "records".',
        })
      const registered = await registerPatient(ctx, {
        organisationId: c.var.organisationId,
        claims: body.claims,
        records: body.records,
        validUntil: body.validUntil,
        synthetic: body.syntheticRecords
          ? (patientId) => syntheticRecordsFor(patientId, hashSeed(patientId))
          : undefined,
      })
      return c.json(registered, 201)
    })
    .get('/organisations/:id/patients', allow(ctx, 'organisation:read'), async (c) =>
      c.json({ patients: await listPatients(ctx, c.var.organisationId) }),
    )
    .get('/organisations/:id/patients/:patientId', allow(ctx, 'organisation:read'), async (c) =>
      c.json(
        await getPatient(ctx, { organisationId: c.var.organisationId, patientId: c.req.param('patientId') }),
      ),
    )
    .put('/organisations/:id/patients/:patientId/records', allow(ctx, 'organisation:write'), async (c) => {
      const body = await readBody(c, putRecordsRequest)
      const patient = await getPatient(ctx, {
        organisationId: c.var.organisationId,
        patientId: c.req.param('patientId'),
      })
      const stored = await putRecords(ctx, {
        organisationId: c.var.organisationId,
        patientId: patient.id,
        resources: body.resources,
      })
      return c.json({ stored })
    })
}

/** A seed from an id, so a patient's synthetic records are the same each time they are made. */
const hashSeed = (id: string) => [...id].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7)
