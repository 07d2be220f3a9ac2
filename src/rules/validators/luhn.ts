/**
 * Luhn (mod 10) checksum over a string of ASCII digits, the check digit being the last one.
 * Used by RPPS, SIREN/SIRET and FINESS keys.
 */
export function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Double every second digit counting from the right (the check digit is position 0).
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum;
}

export function isLuhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnSum(digits) % 10 === 0;
}

/** The digit that, appended to `body`, makes a Luhn-valid number. */
export function luhnCheckDigit(body: string): string {
  const sum = luhnSum(`${body}0`);
  return String((10 - (sum % 10)) % 10);
}
