import { levenshtein } from '../../config/did-you-mean.ts';
import { labelTokens } from './normalize-label.ts';

function tokensMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4) return false;
  // Gender and number endings ("prevue"/"prevu", "hospitaliere"/"hospitalier").
  if (a.startsWith(b) || b.startsWith(a)) return Math.abs(a.length - b.length) <= 2;
  return levenshtein(a, b) <= (shorter >= 8 ? 2 : 1);
}

function countMatches(from: readonly string[], to: readonly string[]): number {
  const used = new Set<number>();
  let matches = 0;
  for (const token of from) {
    const index = to.findIndex((candidate, i) => !used.has(i) && tokensMatch(token, candidate));
    if (index >= 0) {
      used.add(index);
      matches++;
    }
  }
  return matches;
}

/**
 * Similarity in [0, 1] between a form label and a known wording: the best of a fuzzy Dice
 * coefficient on meaningful tokens, a coverage score (a label that contains the whole wording plus
 * a few extra words) and, for labels of at most three words, the edit distance of the whole strings.
 */
export function labelSimilarity(label: string, wording: string): number {
  const a = labelTokens(label);
  const b = labelTokens(wording);
  if (a.length === 0 || b.length === 0) return 0;
  const matches = countMatches(b, a);
  const dice = (2 * matches) / (a.length + b.length);
  const coverage = 0.65 * (matches / b.length) + 0.3 * (matches / a.length);
  let score = Math.max(dice, coverage);
  const joinedA = a.join(' ');
  const joinedB = b.join(' ');
  // Edit distance only for short labels: on longer ones, one letter (CH / CHU) changes the meaning.
  if (a.length <= 3 && b.length <= 3 && joinedA.length <= 30 && joinedB.length <= 30) {
    const edit = 1 - levenshtein(joinedA, joinedB) / Math.max(joinedA.length, joinedB.length);
    score = Math.max(score, edit);
  }
  return Math.min(1, score);
}

/**
 * How a label and a wording contain each other, token for token: `labelInWording` when every
 * meaningful word of the label is in the wording (« Avis du directeur » in « Avis du directeur du
 * CHU »), `wordingInLabel` the other way round (the label says at least all the wording says).
 */
export function containment(label: string, wording: string): { labelInWording: boolean; wordingInLabel: boolean } {
  const a = labelTokens(label);
  const b = labelTokens(wording);
  if (a.length === 0 || b.length === 0) return { labelInWording: false, wordingInLabel: false };
  return { labelInWording: countMatches(a, b) === a.length, wordingInLabel: countMatches(b, a) === b.length };
}
