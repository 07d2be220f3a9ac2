/** Generators for French identifiers with their check keys (FINESS, SIREN/SIRET, RPPS). */
import type { Rng } from './prng.ts';

/** Luhn check digit for a string of digits (the key is appended to it). */
export function luhnKey(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isLuhnValid(digits: string): boolean {
  return /^\d+$/.test(digits) && luhnKey(digits.slice(0, -1)) === Number(digits.slice(-1));
}

function digits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(rng.int(0, 9));
  return out;
}

/** Flips the key so the identifier keeps its shape but fails the Luhn check. */
export function breakKey(id: string): string {
  const last = Number(id.slice(-1));
  return id.slice(0, -1) + String((last + 5) % 10);
}

export function siren(rng: Rng): string {
  const body = String(rng.int(1, 9)) + digits(rng, 7);
  return body + String(luhnKey(body));
}

export function siret(rng: Rng, sirenValue = siren(rng)): string {
  const body = sirenValue + digits(rng, 4);
  return body + String(luhnKey(body));
}

/** La Poste establishments escape Luhn: SIREN 356000000, digit sum a multiple of 5. */
export function siretLaPoste(rng: Rng): string {
  for (;;) {
    const candidate = '356000000' + digits(rng, 5);
    const sum = [...candidate].reduce((s, c) => s + Number(c), 0);
    if (sum % 5 === 0) return candidate;
  }
}

/** FINESS: 2-character département + 7 digits, last one a Luhn key over the first 8. */
export function finess(rng: Rng, departement: string): string {
  const body = departement + digits(rng, 6);
  return body + String(luhnKey(body));
}

/** RPPS: 11 digits starting with 10, Luhn key. */
export function rpps(rng: Rng): string {
  const body = '10' + digits(rng, 8);
  return body + String(luhnKey(body));
}
