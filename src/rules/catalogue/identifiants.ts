import { type Candidature, fieldOf } from '../candidature.ts';
import type { RuleContext } from '../context.ts';
import type { FieldValue } from '../field-value.ts';
import type { Finding, Rule } from '../finding.ts';
import { monthSpan, parseMonthYear } from '../../shared/dates.ts';
import { checkFiness } from '../validators/finess.ts';
import { checkRpps } from '../validators/rpps.ts';
import { checkSiretOrSiren } from '../validators/siret.ts';
import { cannotCheck, evidenceOf, finding, frDate, quote, shortLabel, startDateOf, unmappedNeeds } from './helpers.ts';

/**
 * FINESS of the recruiting establishment (seed 000: "OBLIGATOIREMENT le n° Finess … 9 chiffres").
 * Mandatory for ASP; every programme may map it, and a démarche that does not is told so once.
 */
export const finess: Rule = {
  id: 'id.finess',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'bloquant',
  title: 'Numéro FINESS valide',
  skipped(ctx, isMapped) {
    return unmappedNeeds(ctx, isMapped, ['etablissement.finess']);
  },
  evaluate(c) {
    const f = fieldOf(c, 'etablissement.finess');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    // An empty FINESS is reported by complet.champ_requis when required.
    if (f.status === 'vide' || f.text === null) return [];
    const result = checkFiness(f.text);
    if (result.status === 'valide') return [];
    if (result.status === 'cle_invalide') {
      return [
        finding(
          this.id,
          'alerte',
          `Numéro FINESS ${quote(f.text)} (champ « ${shortLabel(f.label)} ») : la clé de contrôle ne correspond pas. Vérifiez le numéro dans le répertoire FINESS.`,
          [evidenceOf(f)],
        ),
      ];
    }
    return [
      finding(
        this.id,
        'bloquant',
        `Numéro FINESS ${quote(f.text)} (champ « ${shortLabel(f.label)} ») invalide : ${result.reason}. Demandez le numéro FINESS de l’établissement (9 caractères).`,
        [evidenceOf(f)],
      ),
    ];
  },
};

/** SIRET/SIREN of the partner care structure (seed 001: "N° SIRET/SIREN de la structure de soins"). */
export const siret: Rule = {
  id: 'id.siret',
  // Every programme with a partner structure (ASR has none: CHU and CH only, seed 003).
  programmes: ['aumg', 'asp', 'mgvh', 'asap'],
  severity: 'bloquant',
  title: 'Numéro SIRET/SIREN valide',
  skipped(ctx, isMapped) {
    return unmappedNeeds(ctx, isMapped, ['structure.siret']);
  },
  evaluate(c) {
    const f = fieldOf(c, 'structure.siret');
    const unknown = cannotCheck(this.id, this.title, f);
    if (unknown) return [unknown];
    if (f.status === 'vide' || f.text === null) return [];
    const result = checkSiretOrSiren(f.text);
    if (result.status === 'valide') return [];
    const reason =
      result.status === 'cle_invalide' ? `la clé de contrôle du ${result.kind.toUpperCase()} ne correspond pas` : result.reason;
    return [
      finding(
        this.id,
        'bloquant',
        `Numéro SIRET/SIREN ${quote(f.text)} (champ « ${shortLabel(f.label)} ») invalide : ${reason}. Demandez le numéro exact de la structure (annuaire des entreprises).`,
        [evidenceOf(f)],
      ),
    ];
  },
};

/**
 * RPPS of the candidate, or a planned registration date with the Ordre strictly before the start
 * date (seeds 000, 001, 002: "ayant un n° RPPS ou une date prévisionnelle").
 */
export const rpps: Rule = {
  id: 'id.rpps',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'bloquant',
  title: 'Numéro RPPS ou date prévisionnelle d’inscription à l’Ordre',
  skipped(ctx, isMapped) {
    return unmappedNeeds(ctx, isMapped, [['candidat.rpps', 'candidat.date_inscription_ordre']]);
  },
  evaluate(c, ctx) {
    const number = fieldOf(c, 'candidat.rpps');
    const planned = fieldOf(c, 'candidat.date_inscription_ordre');
    const out: Finding[] = [];
    if (number.status === 'rempli' && number.text !== null) {
      const result = checkRpps(number.text);
      if (result.status === 'valide') return [];
      if (result.status === 'cle_invalide') {
        return [
          finding(
            this.id,
            'alerte',
            `Numéro RPPS ${quote(number.text)} (champ « ${shortLabel(number.label)} ») : 11 chiffres mais la clé de contrôle ne correspond pas. Vérifiez le numéro dans l’annuaire santé.`,
            [evidenceOf(number)],
          ),
        ];
      }
      out.push(
        finding(
          this.id,
          'info',
          `Numéro RPPS ${quote(number.text)} mal formé (${result.reason}) : la date prévisionnelle d’inscription à l’Ordre est donc vérifiée à la place.`,
          [evidenceOf(number)],
        ),
      );
    }
    if (!number.mapped && !planned.mapped) return [cannotCheck(this.id, this.title, number)!];
    if (planned.status !== 'rempli') {
      return [
        ...out,
        finding(
          this.id,
          'bloquant',
          `Ni numéro RPPS valide (11 chiffres) ni date prévisionnelle d’inscription à l’Ordre : le candidat doit avoir l’un ou l’autre. Demandez au déposant de compléter « ${shortLabel(number.label)} » ou « ${shortLabel(planned.label)} ».`,
          [evidenceOf(number), evidenceOf(planned)],
        ),
      ];
    }
    const month = planned.date === null && planned.text !== null ? parseMonthYear(planned.text) : null;
    if (month !== null) return [...out, ...plannedMonth(this.id, month, c, ctx, number, planned)];
    if (planned.date === null) {
      return [
        ...out,
        finding(
          this.id,
          'bloquant',
          `Pas de RPPS valide et date prévisionnelle d’inscription à l’Ordre illisible ${quote(planned.raw)} (champ « ${shortLabel(planned.label)} »). Demandez une date au format JJ/MM/AAAA.`,
          [evidenceOf(number), evidenceOf(planned)],
        ),
      ];
    }
    const start = startDateOf(c, ctx);
    if (start.date === null) {
      return [
        ...out,
        finding(
          this.id,
          'alerte',
          `Pas de RPPS valide ; date prévisionnelle d’inscription à l’Ordre au ${frDate(planned.date)}, mais impossible de la comparer à la prise de fonction (${start.problem ?? 'date inconnue'}). Vérifiez à la main.`,
          [evidenceOf(planned), start.evidence],
        ),
      ];
    }
    if (planned.date < start.date) return out;
    return [
      ...out,
      finding(
        this.id,
        'bloquant',
        `Pas de RPPS valide et inscription à l’Ordre prévue le ${frDate(planned.date)}, pas avant la prise de fonction du ${frDate(start.date)}. L’inscription doit précéder la prise de fonction.`,
        [evidenceOf(number), evidenceOf(planned), start.evidence],
      ),
    ];
  },
};

/**
 * A registration planned to the month (« septembre 2025 »): a plan is often no more precise. The
 * month wholly before the start date is enough; wholly on or after it is a bloquant; the month of the
 * start date itself depends on the day, which only the depositor can say (alerte).
 */
function plannedMonth(
  ruleId: string,
  month: { year: number; month: number },
  c: Candidature,
  ctx: RuleContext,
  number: FieldValue,
  planned: FieldValue,
): Finding[] {
  const span = monthSpan(month);
  const start = startDateOf(c, ctx);
  const evidence = [evidenceOf(number), evidenceOf(planned), start.evidence];
  if (start.date !== null && span.last < start.date) return [];
  if (start.date !== null && span.first >= start.date) {
    return [
      finding(
        ruleId,
        'bloquant',
        `Pas de RPPS valide et inscription à l’Ordre prévue en ${span.label}, pas avant la prise de fonction du ${frDate(start.date)}. L’inscription doit précéder la prise de fonction.`,
        evidence,
      ),
    ];
  }
  const against =
    start.date === null ? `la prise de fonction (${start.problem ?? 'date inconnue'})` : `la prise de fonction du ${frDate(start.date)}`;
  return [
    finding(
      ruleId,
      'alerte',
      `Pas de RPPS valide ; inscription à l’Ordre prévue en ${span.label}, sans le jour : impossible de dire si elle précède ${against}. Demandez la date prévue exacte.`,
      evidence,
    ),
  ];
}
