import { fieldOf } from '../candidature.ts';
import type { Rule } from '../finding.ts';
import { parisDateOf } from '../../shared/dates.ts';
import { cannotCheck, emptyReportedElsewhere, evidenceOf, finding, frDate, quote, shortLabel, unmappedNeeds } from './helpers.ts';

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
      const justified = fieldOf(c, 'justification.zone').status === 'rempli';
      // Filled in words that say neither yes nor no (« Hors zone » from a list of zones): the structure may be
      // outside a priority zone, so without a justification the instructor must look (never a silent pass).
      if (zone.status === 'rempli' && !justified) {
        return [
          finding(
            this.id,
            'alerte',
            `Réponse ${quote(zone.raw)} au champ « ${shortLabel(zone.label)} » : ni oui ni non. Si la structure partenaire est hors zone prioritaire, le coordonnateur doit justifier ce choix, et aucune justification n’est jointe : vérifiez.`,
            [evidenceOf(zone)],
          ),
        ];
      }
      if (justified) return [];
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
    // Declared passed, but on a date after the deposit: a planned soutenance (docs/regles.md « Dates prévues ou
    // obtenues »), whose diplomas cannot exist yet. Neither a bloquant nor a silent pass: the instructor asks.
    const date = fieldOf(c, 'candidat.date_these').date;
    const deposit = parisDateOf(c.dateDepot);
    if (date !== null && deposit !== null && date > deposit) {
      return [
        finding(
          this.id,
          'alerte',
          `Thèse déclarée soutenue, mais la soutenance est datée du ${frDate(date)}, après le dépôt du ${frDate(deposit)} : soutenance prévue ? Vérifiez auprès du déposant ; si la thèse est soutenue, la copie des diplômes manque (champ « ${shortLabel(diplomes.label)} »).`,
          [evidenceOf(these), evidenceOf(fieldOf(c, 'candidat.date_these')), evidenceOf(diplomes)],
        ),
      ];
    }
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
