import { type Candidature, fieldOf } from '../candidature.ts';
import type { DemarcheRule, Evidence, Finding } from '../finding.ts';
import { parseCalendarDate } from '../validators/dates.ts';
import { normalizeName } from '../validators/names.ts';
import { checkRpps } from '../validators/rpps.ts';
import { evidenceOf, finding } from './helpers.ts';

const RULE_ID = 'doublon.candidat';
const TITLE = 'Un seul dossier par candidat';
const LIVE_STATES = new Set(['en_construction', 'en_instruction', 'accepte']);

/** What identifies a candidate across dossiers: normalised RPPS, and nom|prénom|date of birth. */
export interface CandidateKeys {
  readonly dossierNumber: number;
  readonly state: string;
  readonly rpps: string | null;
  readonly identity: string | null;
}

/** Raw champ values (as DS typed them) of the identifying fields. */
export interface IdentityValues {
  readonly rpps: string | null;
  readonly nom: string | null;
  readonly prenom: string | null;
  readonly naissance: string | null;
}

/**
 * Keys from raw values. `check` computes them from stored champs for dossiers it does not re-read,
 * and from the candidature for the others: one function, so both always agree.
 */
export function candidateKeys(dossierNumber: number, state: string, v: IdentityValues): CandidateKeys {
  // A malformed number identifies nobody; a bad key still names the same typed digits.
  const rpps = v.rpps === null ? null : checkRpps(v.rpps);
  const n = v.nom === null ? '' : normalizeName(v.nom);
  const p = v.prenom === null ? '' : normalizeName(v.prenom);
  const date = v.naissance === null ? null : parseCalendarDate(v.naissance);
  return {
    dossierNumber,
    state,
    rpps: rpps === null || rpps.status === 'malforme' ? null : rpps.rpps,
    identity: n === '' || p === '' || date === null ? null : `${n}|${p}|${date}`,
  };
}

export function candidateKeysOf(c: Candidature): CandidateKeys {
  return candidateKeys(c.dossierNumber, c.state, {
    rpps: fieldOf(c, 'candidat.rpps').raw,
    nom: fieldOf(c, 'candidat.nom').raw,
    prenom: fieldOf(c, 'candidat.prenom').raw,
    naissance: fieldOf(c, 'candidat.date_naissance').raw,
  });
}

export interface DuplicateMatch {
  readonly others: readonly number[];
  readonly reasons: readonly string[];
}

/** Duplicates among live dossiers (en construction, en instruction, accepté). */
export function duplicateMatches(keys: readonly CandidateKeys[]): Map<number, DuplicateMatch> {
  const groups = new Map<string, number[]>();
  for (const k of keys) {
    if (!LIVE_STATES.has(k.state)) continue;
    for (const tagged of [k.rpps === null ? null : `rpps:${k.rpps}`, k.identity === null ? null : `identite:${k.identity}`]) {
      if (tagged === null) continue;
      const list = groups.get(tagged);
      if (list) list.push(k.dossierNumber);
      else groups.set(tagged, [k.dossierNumber]);
    }
  }
  const acc = new Map<number, { others: Set<number>; reasons: Set<string> }>();
  for (const [key, members] of groups) {
    if (members.length < 2) continue;
    const reason = key.startsWith('rpps:') ? 'même numéro RPPS' : 'mêmes nom, prénom et date de naissance';
    for (const number of members) {
      const entry = acc.get(number) ?? { others: new Set<number>(), reasons: new Set<string>() };
      for (const other of members) if (other !== number) entry.others.add(other);
      entry.reasons.add(reason);
      acc.set(number, entry);
    }
  }
  return new Map(
    [...acc].map(([number, e]) => [number, { others: [...e.others].sort((a, b) => a - b), reasons: [...e.reasons].sort() }]),
  );
}

export function duplicateMessage(match: DuplicateMatch): string {
  const numbers = match.others.map((n) => `n° ${n}`).join(', ');
  return `Candidat en double (${match.reasons.join(' ; ')}) avec le(s) dossier(s) ${numbers} : un seul dossier par candidat. Vérifiez lequel conserver.`;
}


/** What a duplicate finding shows of a candidature (kept instead of the candidature itself). */
export function duplicateEvidenceOf(c: Candidature): Evidence[] {
  return [
    evidenceOf(fieldOf(c, 'candidat.rpps')),
    evidenceOf(fieldOf(c, 'candidat.nom')),
    evidenceOf(fieldOf(c, 'candidat.prenom')),
    evidenceOf(fieldOf(c, 'candidat.date_naissance')),
  ];
}

/**
 * The doublon findings of one dossier, from its identity evidence and its match. When the rule
 * cannot run (identity fields unmapped), `skipped` says so once for the démarche.
 */
export function duplicateFindingsFrom(evidence: readonly Evidence[], match: DuplicateMatch | undefined): Finding[] {
  return match === undefined ? [] : [finding(RULE_ID, 'alerte', duplicateMessage(match), evidence)];
}

export function duplicateFindingsOf(c: Candidature, match: DuplicateMatch | undefined): Finding[] {
  return duplicateFindingsFrom(match === undefined ? [] : duplicateEvidenceOf(c), match);
}

/**
 * One dossier per candidate (seed 002: "Un dossier par candidat"): same RPPS, or same normalised
 * nom + prénom + date of birth, in two live dossiers of the same démarche.
 */
export const doublonCandidat: DemarcheRule = {
  id: RULE_ID,
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'alerte',
  title: TITLE,
  skipped(_ctx, isMapped) {
    const identity = ['candidat.nom', 'candidat.prenom', 'candidat.date_naissance'].every(isMapped);
    return identity || isMapped('candidat.rpps')
      ? []
      : ['ni le numéro RPPS (candidat.rpps) ni les nom, prénom et date de naissance du candidat (candidat.nom, candidat.prenom, candidat.date_naissance) ne sont dans la section mapping de la configuration'];
  },
  evaluateAll(candidatures) {
    const matches = duplicateMatches(candidatures.map(candidateKeysOf));
    const out = new Map<number, Finding[]>();
    for (const c of candidatures) {
      const findings = duplicateFindingsOf(c, matches.get(c.dossierNumber));
      if (findings.length > 0) out.set(c.dossierNumber, findings);
    }
    return out;
  },
};
