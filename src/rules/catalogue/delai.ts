import type { Rule } from '../finding.ts';
import { parisDateOf, parisTimeOf } from '../../shared/dates.ts';
import { finding, frDate } from './helpers.ts';

/**
 * Filed on or before the closing date, as a Paris calendar day (seed 002: "tout dossier incomplet
 * et/ou déposé hors-délai ne sera pas traité"; seed 000: "jusqu'au 20 mars 2019 inclus").
 */
export const delaiDepot: Rule = {
  id: 'delai.depot',
  programmes: ['aumg', 'asp', 'mgvh', 'asr', 'asap'],
  severity: 'bloquant',
  title: 'Dépôt dans les délais',
  skipped: () => [],
  evaluate(c, ctx) {
    const evidence = [{ label: 'Date de dépôt', champId: null, value: c.dateDepot }];
    const day = parisDateOf(c.dateDepot);
    if (day === null) {
      return [
        finding(
          this.id,
          'alerte',
          `Date de dépôt illisible (« ${c.dateDepot.slice(0, 40)} ») : vérifiez le dépôt dans démarches-simplifiées.`,
          evidence,
        ),
      ];
    }
    if (day <= ctx.session.closingDate) return [];
    return [
      finding(
        this.id,
        'bloquant',
        `Dossier déposé hors délai : le ${frDate(day)} à ${parisTimeOf(c.dateDepot) ?? '?'} (heure de Paris), alors que l’appel était ouvert jusqu’au ${frDate(ctx.session.closingDate)} inclus. Un dossier hors délai n’est pas examiné.`,
        evidence,
      ),
    ];
  },
};
