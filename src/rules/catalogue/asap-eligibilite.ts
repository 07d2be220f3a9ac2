import { fieldOf } from '../candidature.ts';
import type { Rule } from '../finding.ts';
import { cannotCheck, emptyReportedElsewhere, evidenceOf, finding, shortLabel, unmappedNeeds } from './helpers.ts';

/**
 * A partner structure outside a priority zone needs the coordinator's justification (seed 004:
 * "devra justifier le choix de l'établissement partenaire lorsque ce dernier ne sera pas dans une
 * zone prioritaire").
 */
export const zoneJustifiee: Rule = {
  id: 'elig.zone_justifiee',
  programmes: ['asap'],
  severity: 'alerte',
  title: 'Structure hors zone prioritaire justifiée',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['structure.zone_prioritaire']),
  evaluate(c) {
    const zone = fieldOf(c, 'structure.zone_prioritaire');
    const unknown = cannotCheck(this.id, this.title, zone);
    if (unknown) return [unknown];
    if (zone.boolean === true) return [];
    if (zone.boolean === null) {
      return [
        finding(
          this.id,
          'info',
          `Règle « ${this.title} » : n’a pas pu être vérifiée : le champ « ${shortLabel(zone.label)} » ne dit pas clairement si la structure est en zone prioritaire.`,
          [evidenceOf(zone)],
        ),
      ];
    }
    const justification = fieldOf(c, 'justification.zone');
    if (justification.status === 'rempli') return [];
    const where = justification.mapped
      ? `le champ « ${shortLabel(justification.label)} » est vide`
      : 'le formulaire n’a pas de champ de justification : vérifiez qu’elle figure dans l’avis du coordonnateur';
    return [
      finding(this.id, 'alerte', `Structure partenaire hors zone prioritaire : le coordonnateur doit justifier ce choix, or ${where}.`, [
        evidenceOf(zone),
        evidenceOf(justification),
      ]),
    ];
  },
};

/** Thesis passed ⇒ copies of the diplomas attached (seed 004: "Copie de vos diplômes, si vous avez déjà passé votre thèse"). */
export const diplomesSiThese: Rule = {
  id: 'elig.diplomes_si_these',
  programmes: ['asap'],
  severity: 'bloquant',
  title: 'Diplômes joints si la thèse est soutenue',
  skipped: (ctx, isMapped) => unmappedNeeds(ctx, isMapped, ['candidat.these_soutenue', 'piece.diplomes']),
  evaluate(c, ctx) {
    const these = fieldOf(c, 'candidat.these_soutenue');
    const unknown = cannotCheck(this.id, this.title, these);
    if (unknown) return [unknown];
    if (these.boolean === false) return [];
    if (these.boolean === null) {
      if (emptyReportedElsewhere(these, ctx)) return [];
      return [
        finding(
          this.id,
          'info',
          `Règle « ${this.title} » : n’a pas pu être vérifiée : le champ « ${shortLabel(these.label)} » ne dit pas si la thèse est soutenue.`,
          [evidenceOf(these)],
        ),
      ];
    }
    const diplomes = fieldOf(c, 'piece.diplomes');
    const unknownPiece = cannotCheck(this.id, this.title, diplomes);
    if (unknownPiece) return [unknownPiece];
    if (diplomes.files.length > 0) return [];
    return [
      finding(
        this.id,
        'bloquant',
        `Thèse soutenue mais aucune copie des diplômes jointe (champ « ${shortLabel(diplomes.label)} »). Demandez au déposant de la joindre.`,
        [evidenceOf(these), evidenceOf(diplomes)],
      ),
    ];
  },
};
