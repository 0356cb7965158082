import { StatusListError } from './errors'
import { MIN_LIST_ENTRIES } from './limits'

/** Options for creating or reading a {@link Bitstring}. */
export interface BitstringOptions {
  /** Allow lists under {@link MIN_LIST_ENTRIES} entries (tests only: small lists lose herd privacy). */
  allowSmall?: boolean
}

/**
 * A W3C Bitstring Status List: one bit per credential, index 0 is the left-most (most significant)
 * bit of the first byte.
 *
 * @example
 * const list = Bitstring.create(MIN_LIST_ENTRIES)
 * list.set(42, true)
 * list.get(42) // true
 */
export class Bitstring {
  readonly #bytes: Uint8Array

  private constructor(bytes: Uint8Array) {
    this.#bytes = bytes
  }

  /** A new all-zero list of `size` bits (a multiple of 8, at least {@link MIN_LIST_ENTRIES}). */
  static create(size: number, options: BitstringOptions = {}): Bitstring {
    if (!Number.isSafeInteger(size) || size <= 0 || size % 8 !== 0) {
      throw new StatusListError('invalid_size', 'A bitstring size must be a positive multiple of 8.')
    }
    checkMinimum(size, options)
    return new Bitstring(new Uint8Array(size / 8))
  }

  /** A list over a copy of `bytes` (8 entries per byte), with the same minimum as {@link Bitstring.create}. */
  static fromBytes(bytes: Uint8Array, options: BitstringOptions = {}): Bitstring {
    if (bytes.length === 0) throw new StatusListError('list_too_small', 'The bitstring is empty.')
    checkMinimum(bytes.length * 8, options)
    return new Bitstring(bytes.slice())
  }

  /** Number of entries (bits). */
  get size(): number {
    return this.#bytes.length * 8
  }

  /** Whether the bit at `index` is set. */
  get(index: number): boolean {
    this.#check(index)
    return ((this.#bytes[index >>> 3]! >> (7 - (index & 7))) & 1) === 1
  }

  /** Sets or clears the bit at `index`. */
  set(index: number, value: boolean): void {
    this.#check(index)
    if (typeof value !== 'boolean')
      throw new StatusListError('invalid_value', 'A bitstring value must be a boolean.')
    const mask = 1 << (7 - (index & 7))
    const at = index >>> 3
    this.#bytes[at] = value ? this.#bytes[at]! | mask : this.#bytes[at]! & ~mask
  }

  /** A copy of the underlying bytes. */
  toBytes(): Uint8Array {
    return this.#bytes.slice()
  }

  #check(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      throw new StatusListError('index_out_of_range', `Index must be an integer from 0 to ${this.size - 1}.`)
    }
  }
}

function checkMinimum(size: number, options: BitstringOptions): void {
  if (size < MIN_LIST_ENTRIES && !options.allowSmall) {
    throw new StatusListError(
      'list_too_small',
      `A status list needs at least ${MIN_LIST_ENTRIES} entries for herd privacy; this one has ${size}.`,
    )
  }
}
