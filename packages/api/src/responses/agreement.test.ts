import type { CredentialType } from '@clavis/credentials'
import type {
  PresentationVerificationResult,
  TrustEntry,
  VerificationFailureCode,
  VerificationResult,
} from '@clavis/verify'
import { describe, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import type { credentialTypeSchema, trustListResponse } from './credentials'
import type { presentationVerificationResponse, verificationResultSchema } from './verification'
import type { VERIFICATION_FAILURE_CODES } from './verification-codes'

// The response schemas restate types that other packages own; these type tests keep them equal.

describe('response schemas agree with the packages that own the types', () => {
  it('credential types (@clavis/credentials)', () => {
    expectTypeOf<z.infer<typeof credentialTypeSchema>>().toEqualTypeOf<CredentialType>()
  })

  it('verification envelopes and failure codes (@clavis/verify)', () => {
    expectTypeOf<(typeof VERIFICATION_FAILURE_CODES)[number]>().toEqualTypeOf<VerificationFailureCode>()
    expectTypeOf<VerificationResult>().toExtend<z.infer<typeof verificationResultSchema>>()
    expectTypeOf<z.infer<typeof verificationResultSchema>>().toExtend<VerificationResult>()
    expectTypeOf<PresentationVerificationResult>().toExtend<
      z.infer<typeof presentationVerificationResponse>
    >()
    expectTypeOf<
      z.infer<typeof presentationVerificationResponse>
    >().toExtend<PresentationVerificationResult>()
  })

  it('trust entries (@clavis/verify)', () => {
    type Entry = z.infer<typeof trustListResponse>['entries'][number]
    expectTypeOf<Entry>().toExtend<TrustEntry>()
    expectTypeOf<TrustEntry['types'][number]>().toEqualTypeOf<Entry['types'][number]>()
  })
})
