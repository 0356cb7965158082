import { createAgent, type TAgent } from '@veramo/core'
import type { ICredentialPlugin, IDataStore, IDIDManager, IKeyManager, IResolver } from '@veramo/core-types'
import { CredentialProviderJWT } from '@veramo/credential-jwt'
import { CredentialPlugin } from '@veramo/credential-w3c'
import { DataStore, DIDStore, KeyStore, PrivateKeyStore } from '@veramo/data-store'
import { DIDManager } from '@veramo/did-manager'
import { EthrDIDProvider } from '@veramo/did-provider-ethr'
import { DIDResolverPlugin } from '@veramo/did-resolver'
import { KeyManager } from '@veramo/key-manager'
import { KeyManagementSystem, SecretBox } from '@veramo/kms-local'
import type { Resolvable } from 'did-resolver'
import type { JsonRpcProvider } from 'ethers'
import type { DataSource } from 'typeorm'

/** The Veramo agent Clavis uses. */
export type ClavisVeramo = TAgent<IDIDManager & IKeyManager & IDataStore & IResolver & ICredentialPlugin>

/** The did:ethr provider name for a chain, e.g. `did:ethr:0x7a69`. */
export function ethrProviderName(chainId: number): string {
  return `did:ethr:0x${chainId.toString(16)}`
}

/**
 * Builds the Veramo agent: keys encrypted at rest with SecretBox, did:ethr on the configured chain,
 * JWT credentials, TypeORM storage.
 *
 * @example
 * const agent = createVeramoAgent({ db, secretKeyHex, provider, chainId: 31337, registry, rpcUrl, resolver })
 */
export function createVeramoAgent(options: {
  db: DataSource
  secretKeyHex: string
  provider: JsonRpcProvider
  rpcUrl: string
  chainId: number
  registry: string
  resolver: Resolvable
}): ClavisVeramo {
  const { db } = options
  const providerName = ethrProviderName(options.chainId)
  return createAgent<IDIDManager & IKeyManager & IDataStore & IResolver & ICredentialPlugin>({
    plugins: [
      new KeyManager({
        store: new KeyStore(db),
        kms: { local: new KeyManagementSystem(new PrivateKeyStore(db, new SecretBox(options.secretKeyHex))) },
      }),
      new DIDManager({
        store: new DIDStore(db),
        defaultProvider: providerName,
        providers: {
          [providerName]: new EthrDIDProvider({
            defaultKms: 'local',
            networks: [
              {
                // Named by its hex chain id so DIDs read did:ethr:0x7a69:… (how the provider matches networks).
                name: `0x${options.chainId.toString(16)}`,
                chainId: BigInt(options.chainId),
                provider: options.provider,
                rpcUrl: options.rpcUrl,
                registry: options.registry,
              },
            ],
          }),
        },
      }),
      new DIDResolverPlugin({ resolver: options.resolver }),
      new DataStore(db),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  })
}
