// Types for the parts of @digitalbazaar/vc-bitstring-status-list 2.0.1 the interop tests use (the
// package ships JavaScript only). See its lib/index.js.
declare module '@digitalbazaar/vc-bitstring-status-list' {
  export class BitstringStatusList {
    constructor(options: { length?: number; buffer?: Uint8Array })
    length: number
    setStatus(index: number, status: boolean): void
    getStatus(index: number): boolean
    encode(): Promise<string>
  }
  export const VC_BSL_VC_V1_CONTEXT: string[]
  export const VC_BSL_VC_V2_CONTEXT: string[]
  export function createList(options: { length: number }): Promise<BitstringStatusList>
  export function decodeList(options: { encodedList: string }): Promise<BitstringStatusList>
  export function createCredential(options: {
    id: string
    list: BitstringStatusList
    statusPurpose: string
    context?: string[]
  }): Promise<{
    '@context': string[]
    id: string
    type: string[]
    credentialSubject: Record<string, unknown>
  }>
  export function checkStatus(options: {
    credential: object
    documentLoader: (url: string) => Promise<{ document: unknown }>
    suite?: unknown
    verifyBitstringStatusListCredential?: boolean
    verifyMatchingIssuers?: boolean
  }): Promise<{
    verified: boolean
    error?: Error
    results: { verified: boolean; status: boolean; credentialStatus: Record<string, unknown> }[]
  }>
  export function statusTypeMatches(options: { credential: object }): boolean
  export function getCredentialStatus(options: {
    credential: object
    statusPurpose: string
  }): Record<string, unknown>
}
