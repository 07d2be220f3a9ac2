import { type Candidature, fieldOf } from '../candidature.ts';
import type { DemarcheRule, Evidence, Finding } from '../finding.ts';
import { parseCalendarDate } from '../../shared/dates.ts';
import { normalizeName } from '../../shared/names.ts';
import { checkRpps } from '../validators/rpps.ts';
import { parisDateOf } from '../../shared/dates.ts';
import { evidenceOf, finding } from './helpers.ts';

const RULE_ID = 'doublon.candidat';
const TITLE = 'Un seul dossier par candidat';
const LIVE_STATES = new Set(['en_construction', 'en_instruction', 'accepte']);

/** What identifies a candidate across dossiers: normalised RPPS, and nom|prénom|date of birth. */
export interface CandidateKeys {
  readonly dossierNumber: number;
  readonly state: string;
  /** When the dossier was filed (ISO), to say which of two duplicates to keep. */
  readonly dateDepot: string;
  readonly rpps: string | null;
  readonly identity: string | null;
  /** Prénom and nom as typed, to name the candidate in the other dossier's message. */
  readonly name: string | null;
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
export function candidateKeys(dossierNumber: number, state: string, dateDepot: string, v: IdentityValues): CandidateKeys {
  // A malformed number identifies nobody; a bad key still names the same typed digits.
  const rpps = v.rpps === null ? null : checkRpps(v.rpps);
  const n = v.nom === null ? '' : normalizeName(v.nom);
  const p = v.prenom === null ? '' : normalizeName(v.prenom);
  const date = v.naissance === null ? null : parseCalendarDate(v.naissance);
  const name = [v.prenom, v.nom]
    .map((t) => (t ?? '').replace(/\s+/g, ' ').trim())
    .filter((t) => t !== '')
    .join(' ');
  return {
    dossierNumber,
    state,
    dateDepot,
    rpps: rpps === null || rpps.status === 'malforme' ? null : rpps.rpps,
    identity: n === '' || p === '' || date === null ? null : `${n}|${p}|${date}`,
    name: name === '' ? null : name.slice(0, 80),
  };
}

export function candidateKeysOf(c: Candidature): CandidateKeys {
  return candidateKeys(c.dossierNumber, c.state, c.dateDepot, {
    rpps: fieldOf(c, 'candidat.rpps').raw,
    nom: fieldOf(c, 'candidat.nom').raw,
    prenom: fieldOf(c, 'candidat.prenom').raw,
    naissance: fieldOf(c, 'candidat.date_naissance').raw,
  });
}

/** Another live dossier of the same candidate, as the message names it. */
export interface DuplicatePartner {
  readonly number: number;
  readonly state: string;
  readonly dateDepot: string;
  readonly name: string | null;
}

export interface DuplicateMatch {
  readonly self: DuplicatePartner;
  readonly others: readonly DuplicatePartner[];
  readonly reasons: readonly string[];
  /** The dossier to keep among this one and its partners (see keepAmong). */
  readonly keep: number;
}

// The further a dossier went in the procedure, the more work it carries: that one is kept.
const STATE_RANK: Readonly<Record<string, number>> = { accepte: 3, en_instruction: 2, en_construction: 1 };

/**
 * Which of the duplicates to keep: the most advanced in the procedure (accepté, then en
 * instruction); at equal state the last filed, which a dépositaire files to replace the first.
 */
function keepAmong(keys: readonly CandidateKeys[]): number {
  const best = [...keys].sort(
    (a, b) =>
      (STATE_RANK[b.state] ?? 0) - (STATE_RANK[a.state] ?? 0) ||
      (a.dateDepot < b.dateDepot ? 1 : a.dateDepot > b.dateDepot ? -1 : b.dossierNumber - a.dossierNumber),
  );
  return best[0]!.dossierNumber;
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
  const byNumber = new Map(keys.map((k) => [k.dossierNumber, k]));
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
    [...acc].map(([number, e]) => {
      const others = [...e.others].sort((a, b) => a - b).map((n) => byNumber.get(n)!);
      const partner = ({ dossierNumber, state, dateDepot, name }: CandidateKeys): DuplicatePartner => ({
        number: dossierNumber,
        state,
        dateDepot,
        name,
      });
      const self = byNumber.get(number)!;
      return [
        number,
        { self: partner(self), others: others.map(partner), reasons: [...e.reasons].sort(), keep: keepAmong([self, ...others]) },
      ];
    }),
  );
}

const STATE_LABEL: Readonly<Record<string, string>> = {
  en_construction: 'en construction',
  en_instruction: 'en instruction',
  accepte: 'accepté',
};

/** 2025-04-01T10:00:00+02:00 → 01/04/2025 (Paris day). */
function depositDay(iso: string): string {
  const day = parisDateOf(iso);
  return day === null ? iso.slice(0, 10) : day.split('-').reverse().join('/');
}

/**
 * « Candidat en double (même numéro RPPS) avec le dossier n° 12 de Jeanne Dupont (en instruction,
 * déposé le 01/04/2025) : un seul dossier par candidat. À conserver : le dossier n° 12 (…) ; … ».
 */
export function duplicateMessage(match: DuplicateMatch): string {
  const partners = match.others
    .map(
      (o) =>
        `le dossier n° ${o.number}${o.name ? ` de ${o.name}` : ''} (${STATE_LABEL[o.state] ?? o.state}, déposé le ${depositDay(o.dateDepot)})`,
    )
    .join(', ');
  const all = [match.self, ...match.others];
  const kept = all.find((d) => d.number === match.keep)!;
  const advanced = all.every((d) => d === kept || (STATE_RANK[d.state] ?? 0) < (STATE_RANK[kept.state] ?? 0));
  const why = advanced ? 'le plus avancé dans la procédure' : 'le dernier déposé, à état égal';
  const drop = all.filter((d) => d !== kept).map((d) => (d === match.self ? 'ce dossier' : `le n° ${d.number}`));
  return `Candidat en double (${match.reasons.join(' ; ')}) avec ${partners} : un seul dossier par candidat. À conserver : ${kept === match.self ? 'ce dossier' : `le dossier n° ${kept.number}`} (${why}) ; ${drop.join(', ')} à classer sans suite après accord du déposant.`;
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
      : [
          'ni le numéro RPPS (candidat.rpps) ni les nom, prénom et date de naissance du candidat (candidat.nom, candidat.prenom, candidat.date_naissance) ne sont dans la section mapping de la configuration',
        ];
  },
};
