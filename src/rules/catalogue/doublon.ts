import { type Candidature, fieldOf } from '../candidature.ts';
import type { DemarcheRule, Finding } from '../finding.ts';
import { checkRpps } from '../validators/rpps.ts';
import { normalizeName } from '../validators/names.ts';
import { evidenceOf, finding } from './helpers.ts';

const LIVE_STATES = new Set(['en_construction', 'en_instruction', 'accepte']);

function identityKey(c: Candidature): string | null {
  const nom = fieldOf(c, 'candidat.nom');
  const prenom = fieldOf(c, 'candidat.prenom');
  const naissance = fieldOf(c, 'candidat.date_naissance');
  if (nom.text === null || prenom.text === null || naissance.date === null) return null;
  const n = normalizeName(nom.text);
  const p = normalizeName(prenom.text);
  return n === '' || p === '' ? null : `${n}|${p}|${naissance.date}`;
}

function rppsKey(c: Candidature): string | null {
  const f = fieldOf(c, 'candidat.rpps');
  if (f.text === null) return null;
  const result = checkRpps(f.text);
  // A malformed number identifies nobody; a bad key still names the same typed digits.
  return result.status === 'malforme' ? null : result.rpps;
}

/**
 * One dossier per candidate (seed 002: "Un dossier par candidat"): same RPPS, or same normalised
 * nom + prénom + date of birth, in two live dossiers of the same démarche.
 */
export const doublonCandidat: DemarcheRule = {
  id: 'doublon.candidat',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'alerte',
  title: 'Un seul dossier par candidat',
  evaluateAll(candidatures) {
    const out = new Map<number, Finding[]>();
    const live = candidatures.filter((c) => LIVE_STATES.has(c.state));
    const groups = new Map<string, Candidature[]>();
    for (const c of live) {
      const keys = [rppsKey(c), identityKey(c)];
      keys.forEach((key, i) => {
        if (key === null) return;
        const tagged = `${i === 0 ? 'rpps' : 'identite'}:${key}`;
        groups.set(tagged, [...(groups.get(tagged) ?? []), c]);
      });
    }
    const others = new Map<number, { numbers: Set<number>; reasons: Set<string> }>();
    for (const [key, members] of groups) {
      if (members.length < 2) continue;
      const reason = key.startsWith('rpps:') ? 'même numéro RPPS' : 'mêmes nom, prénom et date de naissance';
      for (const c of members) {
        const entry = others.get(c.dossierNumber) ?? { numbers: new Set<number>(), reasons: new Set<string>() };
        for (const other of members) if (other.dossierNumber !== c.dossierNumber) entry.numbers.add(other.dossierNumber);
        entry.reasons.add(reason);
        others.set(c.dossierNumber, entry);
      }
    }
    for (const c of candidatures) {
      const entry = others.get(c.dossierNumber);
      if (entry !== undefined) {
        const numbers = [...entry.numbers].sort((a, b) => a - b).map((n) => `n° ${n}`).join(', ');
        out.set(c.dossierNumber, [
          finding(this.id, 'alerte', `Candidat en double (${[...entry.reasons].join(' ; ')}) avec le(s) dossier(s) ${numbers} : un seul dossier par candidat. Vérifiez lequel conserver.`, [
            evidenceOf(fieldOf(c, 'candidat.rpps')),
            evidenceOf(fieldOf(c, 'candidat.nom')),
            evidenceOf(fieldOf(c, 'candidat.prenom')),
            evidenceOf(fieldOf(c, 'candidat.date_naissance')),
          ]),
        ]);
        continue;
      }
      const identityMapped = ['candidat.nom', 'candidat.prenom', 'candidat.date_naissance'].every((k) => fieldOf(c, k).mapped);
      if (!identityMapped && !fieldOf(c, 'candidat.rpps').mapped) {
        out.set(c.dossierNumber, [
          finding(this.id, 'info', `Règle « ${this.title} » : n'a pas pu être vérifiée : ni le RPPS ni les nom, prénom et date de naissance du candidat ne sont trouvés dans le formulaire (section mapping).`),
        ]);
      }
    }
    return out;
  },
};
