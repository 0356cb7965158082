/**
 * Checks a US National Provider Identifier: 10 digits whose last is the Luhn check digit computed
 * over the prefix 80840 and the first nine digits.
 *
 * @example
 * isValidNpi('1234567893') // true
 * isValidNpi('1234567890') // false (bad check digit)
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false
  const digits = `80840${npi}`
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    // Walk from the right; double every second digit, starting with the one left of the check digit.
    let digit = Number(digits[digits.length - 1 - i])
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}
