import { type JsonRpcProvider, parseEther, Wallet } from 'ethers'

/**
 * Sends gas money to an address from the funder account when its balance is below `minimum`.
 * Returns the transaction hash, or undefined when no transfer was needed.
 *
 * @example
 * await fundAddress({ provider, funderKey, address: '0x…' })
 */
export async function fundAddress(options: {
  provider: JsonRpcProvider
  funderKey: string
  address: string
  amountEther?: string
  minimumEther?: string
}): Promise<string | undefined> {
  const { provider, address } = options
  const balance = await provider.getBalance(address)
  if (balance >= parseEther(options.minimumEther ?? '0.1')) return undefined
  const funder = new Wallet(options.funderKey, provider)
  const tx = await funder.sendTransaction({ to: address, value: parseEther(options.amountEther ?? '1') })
  await tx.wait()
  return tx.hash
}
