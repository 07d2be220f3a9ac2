import { fieldOf } from '../candidature.ts';
import type { Rule } from '../finding.ts';
import { addYears } from '../validators/dates.ts';
import { normalizeName } from '../validators/names.ts';
import { cannotCheck, emptyReportedElsewhere, evidenceOf, finding, frDate, quote, startDateOf, unmappedNeeds } from './helpers.ts';

const BOOLEAN_TYPES = new Set(['Checkbox', 'YesNo']);

/** Holds the DES de médecine générale (seed 002: "être diplômé du Diplôme d'Etat de Médecine Générale"). */
export const desMg: Rule = {
  id: 'elig.des_mg',
  programmes: ['aumg'],
  severity: 'bloquant',
  title: 'DES de médecine générale',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['candidat.specialite_des']),
  evaluate(c, ctx) {
    const f = fieldOf(c, 'candidat.specialite_des');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.type !== null && BOOLEAN_TYPES.has(f.type)) {
      // A yes/no champ such as "Titulaire du DES de médecine générale ?".
      if (f.boolean === true) return [];
      if (f.boolean === null && emptyReportedElsewhere(f, ctx)) return [];
      return [finding(this.id, 'bloquant', `Le candidat n'est pas déclaré titulaire du DES de médecine générale (champ « ${f.label} »). L'AUMG lui est réservé.`, [evidenceOf(f)])];
    }
    if (f.status === 'vide') return emptyReportedElsewhere(f, ctx) ? [] : [finding(this.id, 'bloquant', `Spécialité de DES non renseignée (champ « ${f.label} »).`, [evidenceOf(f)])];
    const text = normalizeName(f.values.join(' '));
    if (/\bmedecine generale\b/.test(text) || /^(des )?(de )?mg$/.test(text)) return [];
    return [finding(this.id, 'bloquant', `Spécialité de DES ${quote(f.raw)} (champ « ${f.label} ») : l'AUMG est réservé aux titulaires du DES de médecine générale.`, [evidenceOf(f)])];
  },
};

/**
 * Post-internat within 5 years of the end of the internship; 4 to 5 years (both ends included)
 * is borderline and goes to an instructor (seed 002: "dans les 4 à 5 années qui suivent la fin de l'internat").
 */
export const postInternat: Rule = {
  id: 'elig.post_internat',
  programmes: ['aumg'],
  severity: 'bloquant',
  title: "Fin d'internat depuis 5 ans au plus",
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['candidat.date_fin_internat']),
  evaluate(c, ctx) {
    const f = fieldOf(c, 'candidat.date_fin_internat');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.status === 'vide') return emptyReportedElsewhere(f, ctx) ? [] : [finding(this.id, 'bloquant', `Date de fin d'internat non renseignée (champ « ${f.label} »).`, [evidenceOf(f)])];
    if (f.date === null) {
      return [finding(this.id, 'alerte', `Date de fin d'internat illisible ${quote(f.raw)} (champ « ${f.label} ») : vérifiez-la à la main.`, [evidenceOf(f)])];
    }
    const start = startDateOf(c, ctx);
    if (start.date === null) {
      return [finding(this.id, 'info', `Règle « ${this.title} » : n'a pas pu être vérifiée : ${start.problem ?? 'date de prise de fonction inconnue'}.`, [evidenceOf(f), start.evidence])];
    }
    const evidence = [evidenceOf(f), start.evidence];
    const fiveYearsBefore = addYears(start.date, -5);
    const fourYearsBefore = addYears(start.date, -4);
    if (f.date < fiveYearsBefore) {
      return [finding(this.id, 'bloquant', `Internat terminé le ${frDate(f.date)}, plus de 5 ans avant la prise de fonction du ${frDate(start.date)} : le candidat n'est plus en post-internat au sens de l'AUMG.`, evidence)];
    }
    if (f.date <= fourYearsBefore) {
      return [finding(this.id, 'alerte', `Internat terminé le ${frDate(f.date)}, entre 4 et 5 ans avant la prise de fonction du ${frDate(start.date)} : éligibilité à confirmer.`, evidence)];
    }
    if (f.date > start.date) {
      return [finding(this.id, 'alerte', `Fin d'internat le ${frDate(f.date)}, après la prise de fonction du ${frDate(start.date)} : vérifiez la date saisie.`, evidence)];
    }
    return [];
  },
};

const ZONE_PATTERNS: ReadonlyArray<[string, RegExp]> = [
  ['ZIP+', /\bzip ?(\+|plus)/],
  ['ZIP', /\bzip\b|zone d ?intervention prioritaire/],
  ['ZAC', /\bzac\b|zone d ?action complementaire/],
  ['QPV', /\bqpv\b|quartiers? prioritaires?/],
];
const NEGATION = /\b(hors|aucune?|non|pas|sans)\b/;

/** Zone of the partner structure is ZIP, ZIP+, ZAC or QPV (seed 002, volet 2). */
export const zone: Rule = {
  id: 'elig.zone',
  programmes: ['aumg'],
  severity: 'bloquant',
  title: 'Structure en zone sous-dense (ZIP, ZIP+, ZAC, QPV)',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['structure.zone']),
  evaluate(c, ctx) {
    const f = fieldOf(c, 'structure.zone');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.type !== null && BOOLEAN_TYPES.has(f.type)) {
      if (f.boolean === true) return [];
      if (f.boolean === null && emptyReportedElsewhere(f, ctx)) return [];
      return [finding(this.id, 'bloquant', `La structure de soins n'est pas déclarée en zone ZIP, ZIP+, ZAC ou QPV (champ « ${f.label} »).`, [evidenceOf(f)])];
    }
    if (f.status === 'vide') return emptyReportedElsewhere(f, ctx) ? [] : [finding(this.id, 'bloquant', `Zone de la structure non renseignée (champ « ${f.label} »).`, [evidenceOf(f)])];
    // Keep "+" so "ZIP+" survives normalisation.
    const text = normalizeName(f.values.join(' ').replace(/\+/g, ' plus ')).replace(/[^a-z0-9 ]+/g, ' ').replace(/\s+/g, ' ');
    const zones = ZONE_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
    if (zones.length > 0 && !NEGATION.test(text)) return [];
    return [finding(this.id, 'bloquant', `Zone de la structure ${quote(f.raw)} (champ « ${f.label} ») : l'AUMG exige une structure en ZIP, ZIP+, ZAC ou QPV.`, [evidenceOf(f)])];
  },
};
