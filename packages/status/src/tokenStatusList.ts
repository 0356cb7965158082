import { StatusListError } from './errors'
import { MIN_LIST_ENTRIES } from './limits'

/** Bits per entry the IETF Token Status List allows. */
export type TokenStatusBits = 1 | 2 | 4 | 8

/** Status values registered by the IETF Token Status List draft. */
export const TOKEN_STATUS = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const

/** Options for creating or reading a {@link TokenStatusList}. */
export interface TokenStatusListOptions {
  /** Allow lists under `MIN_LIST_ENTRIES` entries (tests only: small lists lose herd privacy). */
  allowSmall?: boolean
}

/** Whether `value` is 1, 2, 4 or 8. */
export function isTokenStatusBits(value: unknown): value is TokenStatusBits {
  return value === 1 || value === 2 || value === 4 || value === 8
}

/**
 * An IETF Token Status List: `bits` per entry, entries packed from the least significant bits of
 * each byte (index 0 = lowest bits of byte 0).
 *
 * @example
 * const list = TokenStatusList.create({ size: MIN_LIST_ENTRIES, bits: 2 })
 * list.set(7, TOKEN_STATUS.SUSPENDED)
 * list.get(7) // 2
 */
export class TokenStatusList {
  readonly bits: TokenStatusBits
  readonly #bytes: Uint8Array

  private constructor(bytes: Uint8Array, bits: TokenStatusBits) {
    this.#bytes = bytes
    this.bits = bits
  }

  /** A new all-VALID list of at least `size` entries (rounded up to whole bytes). */
  static create(options: { size: number; bits: TokenStatusBits } & TokenStatusListOptions): TokenStatusList {
    const { size, bits } = options
    if (!isTokenStatusBits(bits)) throw new StatusListError('invalid_bits', 'bits must be 1, 2, 4 or 8.')
    if (!Number.isSafeInteger(size) || size <= 0) {
      throw new StatusListError('invalid_size', 'A list size must be a positive integer.')
    }
    checkMinimum(size, options)
    return new TokenStatusList(new Uint8Array(Math.ceil((size * bits) / 8)), bits)
  }

  /** A list over a copy of decompressed `bytes`, with the same minimum as {@link TokenStatusList.create}. */
  static fromBytes(
    bytes: Uint8Array,
    bits: TokenStatusBits,
    options: TokenStatusListOptions = {},
  ): TokenStatusList {
    if (!isTokenStatusBits(bits)) throw new StatusListError('invalid_bits', 'bits must be 1, 2, 4 or 8.')
    if (bytes.length === 0) throw new StatusListError('list_too_small', 'The status list is empty.')
    checkMinimum((bytes.length * 8) / bits, options)
    return new TokenStatusList(bytes.slice(), bits)
  }

  /** Number of entries (whole bytes × 8 / bits). */
  get size(): number {
    return (this.#bytes.length * 8) / this.bits
  }

  /** The status value at `index`. */
  get(index: number): number {
    this.#check(index)
    const { at, shift, mask } = this.#locate(index)
    return (this.#bytes[at]! >> shift) & mask
  }

  /** Sets the status value at `index`; `value` must be an integer below 2^bits. */
  set(index: number, value: number): void {
    this.#check(index)
    const { at, shift, mask } = this.#locate(index)
    if (!Number.isInteger(value) || value < 0 || value > mask) {
      throw new StatusListError(
        'invalid_value',
        `A ${this.bits}-bit status must be an integer from 0 to ${mask}.`,
      )
    }
    this.#bytes[at] = (this.#bytes[at]! & ~(mask << shift)) | (value << shift)
  }

  /** A copy of the underlying bytes. */
  toBytes(): Uint8Array {
    return this.#bytes.slice()
  }

  #locate(index: number): { at: number; shift: number; mask: number } {
    const perByte = 8 / this.bits
    return {
      at: Math.floor(index / perByte),
      shift: (index % perByte) * this.bits,
      mask: (1 << this.bits) - 1,
    }
  }

  #check(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new StatusListError('index_out_of_range', `Index must be an integer from 0 to ${this.size - 1}.`)
    }
  }
}

function checkMinimum(size: number, options: TokenStatusListOptions): void {
  if (size < MIN_LIST_ENTRIES && !options.allowSmall) {
    throw new StatusListError(
      'list_too_small',
      `A status list needs at least ${MIN_LIST_ENTRIES} entries for herd privacy; this one has ${size}.`,
    )
  }
}
