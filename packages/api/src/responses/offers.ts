import { z } from 'zod'

/** `POST /v1/organisations/{id}/offers`: an OpenID4VCI credential offer and its transaction code. */
export const createdOfferResponse = z.object({
  id: z.string(),
  type: z.enum(['ClinicianLicenseCredential', 'PatientIdentityCredential']),
  configurationIds: z.array(z.string()),
  /** `openid-credential-offer://?credential_offer_uri=…`: for a QR code (short). */
  offerUri: z.string(),
  /** `openid-credential-offer://?credential_offer=…`: the offer by value. */
  offerUriByValue: z.string(),
  credentialOffer: z.record(z.string(), z.unknown()),
  /** Tell the holder another way than the offer (read out, a separate message); shown once. */
  txCode: z.string(),
  expiresAt: z.string(),
})
export type CreatedOfferResponse = z.infer<typeof createdOfferResponse>

/** `GET /v1/organisations/{id}/offers/{offerId}`: how an offer stands. */
export const offerStatusResponse = z.object({
  id: z.string(),
  type: z.string(),
  configurationIds: z.array(z.string()),
  state: z.enum(['offered', 'redeemed', 'issued', 'locked', 'expired']),
  expiresAt: z.string(),
  createdAt: z.string(),
  issued: z.array(z.object({ configurationId: z.string(), credentialId: z.string() })),
})
export type OfferStatusResponse = z.infer<typeof offerStatusResponse>
