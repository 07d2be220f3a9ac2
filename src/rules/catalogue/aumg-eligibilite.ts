import { fieldOf } from '../candidature.ts';
import type { Rule } from '../finding.ts';
import { addYears } from '../../shared/dates.ts';
import { normalizeName } from '../../shared/names.ts';
import {
  cannotCheck,
  emptyReportedElsewhere,
  evidenceOf,
  finding,
  frDate,
  quote,
  shortLabel,
  startDateOf,
  unmappedNeeds,
} from './helpers.ts';

const BOOLEAN_TYPES = new Set(['Checkbox', 'YesNo']);

/** « MG », « DES de MG », « Médecine gén. », « Méd. générale », « Med gen » (normalised, punctuation as spaces). */
const GENERAL_MEDICINE_SHORT = /^ (des )?(de |en )?(mg|(med|medecine) (gen|generale)) $/;

/**
 * The typed specialty names one of the session's required DES (normalised words), or is a usual
 * abbreviation of médecine générale.
 */
function holdsRequiredDes(value: string, accepted: readonly string[]): boolean {
  const text = ` ${normalizeName(value)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
  return accepted.some((des) => {
    const wanted = normalizeName(des)
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
    if (wanted !== '' && text.includes(` ${wanted} `)) return true;
    return wanted === 'medecine generale' && GENERAL_MEDICINE_SHORT.test(text);
  });
}

/** Holds the DES de médecine générale (seed 002: "être diplômé du Diplôme d’Etat de Médecine Générale"). */
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
      return [
        finding(
          this.id,
          'bloquant',
          `Le candidat n’est pas déclaré titulaire du DES de ${ctx.session.requiredDes.join(' ou ')} (champ « ${shortLabel(f.label)} »). L’AUMG lui est réservé.`,
          [evidenceOf(f)],
        ),
      ];
    }
    if (f.status === 'vide')
      return emptyReportedElsewhere(f, ctx)
        ? []
        : [finding(this.id, 'bloquant', `Spécialité de DES non renseignée (champ « ${shortLabel(f.label)} »).`, [evidenceOf(f)])];
    const accepted = ctx.session.requiredDes;
    if (holdsRequiredDes(f.values.join(' '), accepted)) return [];
    return [
      finding(
        this.id,
        'bloquant',
        `Spécialité de DES ${quote(f.raw)} (champ « ${shortLabel(f.label)} ») : l’AUMG est réservé aux titulaires du DES de ${accepted.join(' ou ')}.`,
        [evidenceOf(f)],
      ),
    ];
  },
};

/**
 * Post-internat within 5 years of the end of the internship; 4 to 5 years (both ends included)
 * is borderline and goes to an instructor (seed 002: "dans les 4 à 5 années qui suivent la fin de l’internat").
 */
export const postInternat: Rule = {
  id: 'elig.post_internat',
  programmes: ['aumg'],
  severity: 'bloquant',
  title: 'Fin d’internat depuis 5 ans au plus',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['candidat.date_fin_internat']),
  evaluate(c, ctx) {
    const f = fieldOf(c, 'candidat.date_fin_internat');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.status === 'vide')
      return emptyReportedElsewhere(f, ctx)
        ? []
        : [finding(this.id, 'bloquant', `Date de fin d’internat non renseignée (champ « ${shortLabel(f.label)} »).`, [evidenceOf(f)])];
    if (f.date === null) {
      return [
        finding(
          this.id,
          'alerte',
          `Date de fin d’internat illisible ${quote(f.raw)} (champ « ${shortLabel(f.label)} ») : vérifiez-la à la main.`,
          [evidenceOf(f)],
        ),
      ];
    }
    const start = startDateOf(c, ctx);
    if (start.date === null) {
      return [
        finding(
          this.id,
          'info',
          `Règle « ${this.title} » : n’a pas pu être vérifiée : ${start.problem ?? 'date de prise de fonction inconnue'}.`,
          [evidenceOf(f), start.evidence],
        ),
      ];
    }
    const evidence = [evidenceOf(f), start.evidence];
    const w = ctx.session.postInternship;
    const maxBefore = addYears(start.date, -w.maxYears);
    const alertBefore = addYears(start.date, -w.alertFromYears);
    if (w.maxIncluded ? f.date < maxBefore : f.date <= maxBefore) {
      const exactly = f.date === maxBefore ? ` (${w.maxYears} ans exactement, borne exclue par la session)` : '';
      return [
        finding(
          this.id,
          'bloquant',
          `Internat terminé le ${frDate(f.date)}, plus de ${w.maxYears} ans avant la prise de fonction du ${frDate(start.date)}${exactly} : le candidat n’est plus en post-internat au sens de l’AUMG.`,
          evidence,
        ),
      ];
    }
    if (w.alertFromIncluded ? f.date <= alertBefore : f.date < alertBefore) {
      return [
        finding(
          this.id,
          'alerte',
          `Internat terminé le ${frDate(f.date)}, entre ${w.alertFromYears} et ${w.maxYears} ans avant la prise de fonction du ${frDate(start.date)} : éligibilité à confirmer.`,
          evidence,
        ),
      ];
    }
    if (f.date > start.date) {
      return [
        finding(
          this.id,
          'alerte',
          `Fin d’internat le ${frDate(f.date)}, après la prise de fonction du ${frDate(start.date)} : vérifiez la date saisie.`,
          evidence,
        ),
      ];
    }
    return [];
  },
};

// The long forms of the usual zone names; any other accepted zone is matched by its own words.
const ZONE_PATTERNS: Readonly<Record<string, RegExp>> = {
  'ZIP+': /\bzip ?(\+|plus)/,
  ZIP: /\bzip\b(?! ?plus)|zone d ?intervention prioritaire/,
  ZAC: /\bzac\b|zone d ?action complementaire/,
  QPV: /\bqpv\b|quartiers? prioritaires?/,
};

const zoneText = (text: string) =>
  normalizeName(text.replace(/\+/g, ' plus '))
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function zonePattern(zone: string): RegExp {
  const known = ZONE_PATTERNS[zone.trim().toUpperCase()];
  if (known) return known;
  const words = zoneText(zone).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\b${words}\\b`);
}

const NEGATION = /\b(hors|aucune?|non|pas|sans)\b/;
// A zone of the national zoning the session does not accept is refused, even when « Autre » is tolerated.
const ZONE_NAMES = /\b(zip|zac|qpv)\b/;

/**
 * Zone of the partner structure is one the session accepts — ZIP, ZIP+, ZAC or QPV by default
 * (seed 002, volet 2). A free text (« Autre ») naming none is refused, or sent to an instructor
 * when the session says `zones.refuseOther: false`.
 */
export const zone: Rule = {
  id: 'elig.zone',
  programmes: ['aumg'],
  severity: 'bloquant',
  title: 'Structure en zone sous-dense (ZIP, ZIP+, ZAC, QPV)',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['structure.zone']),
  evaluate(c, ctx) {
    const f = fieldOf(c, 'structure.zone');
    const zones = ctx.session.zones;
    const accepted = zones.accepted.join(', ').replace(/, ([^,]*)$/, ' ou $1');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.type !== null && BOOLEAN_TYPES.has(f.type)) {
      if (f.boolean === true) return [];
      if (f.boolean === null && emptyReportedElsewhere(f, ctx)) return [];
      return [
        finding(this.id, 'bloquant', `La structure de soins n’est pas déclarée en zone ${accepted} (champ « ${shortLabel(f.label)} »).`, [
          evidenceOf(f),
        ]),
      ];
    }
    if (f.status === 'vide')
      return emptyReportedElsewhere(f, ctx)
        ? []
        : [finding(this.id, 'bloquant', `Zone de la structure non renseignée (champ « ${shortLabel(f.label)} »).`, [evidenceOf(f)])];
    // Keep "+" so "ZIP+" survives normalisation.
    const text = zoneText(f.values.join(' '));
    const negated = NEGATION.test(text);
    if (!negated && zones.accepted.some((z) => zonePattern(z).test(text))) return [];
    const refused = negated || zones.refuseOther || ZONE_NAMES.test(text);
    return [
      finding(
        this.id,
        refused ? 'bloquant' : 'alerte',
        refused
          ? `Zone de la structure ${quote(f.raw)} (champ « ${shortLabel(f.label)} ») : l’appel exige une structure en zone ${accepted}.`
          : `Zone de la structure ${quote(f.raw)} saisie en texte libre (champ « ${shortLabel(f.label)} ») : vérifiez qu’elle équivaut à une zone ${accepted}.`,
        [evidenceOf(f)],
      ),
    ];
  },
};
