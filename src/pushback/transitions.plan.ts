/**
 * Pure planning of the campaign transitions, once the closing date has passed (Europe/Paris,
 * the closing day itself still belongs to the call): complete dossiers go en instruction; with
 * `messageIncomplets`, each incomplete one gets one message listing what is missing.
 */
import { COMPLETENESS_RULE_IDS } from '../rules/catalogue/index.ts';
import type { PlanItemOf } from './plan.ts';

export interface TransitionFinding {
  ruleId: string;
  severity: 'bloquant' | 'alerte' | 'info';
  message: string;
  position: number;
}

export interface TransitionDossier {
  number: number;
  id: string;
  demarcheNumber: number;
  state: string;
  dateDerniereModificationChamps: string;
  messageBodies: readonly string[];
  /** Date of the dossier's last traitement (dépôt, retour en construction…), if known. */
  lastTraitementAt?: string;
}

export interface TransitionEvaluation {
  complet: boolean;
  /** dateDerniereModification of the dossier when it was evaluated. */
  dossierVersion: string;
  findings: readonly TransitionFinding[];
}

export interface TransitionSettings {
  /** YYYY-MM-DD, last day of the call (inclusive). */
  closingDate: string;
  messageIncomplets: boolean;
  disableNotification: boolean;
}

export interface TransitionPlanInput {
  dossiers: readonly TransitionDossier[];
  evaluations: ReadonlyMap<number, TransitionEvaluation>;
  settings: TransitionSettings;
  /** Today, YYYY-MM-DD in Europe/Paris. */
  today: string;
}

export interface TransitionPlan {
  items: (PlanItemOf<'passerEnInstruction'> | PlanItemOf<'envoyerMessage'>)[];
  /** False while the call is still open: nothing is planned. */
  closed: boolean;
  notEvaluated: number[];
  staleEvaluations: number[];
  /** Complete but filed after the closing date: left en construction ("hors délai"). */
  late: number[];
  /** Incomplete ones already told (same message in their messagerie). */
  alreadyTold: number[];
}

/** Rules whose bloquant findings make a dossier incomplete (the rules' own list). */
export function isCompletenessRule(ruleId: string): boolean {
  return COMPLETENESS_RULE_IDS.has(ruleId);
}

export function frenchCalendarDate(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** The one message an incomplete dossier receives; stable for the same findings. */
export function incompleteMessage(dossierNumber: number, closingDate: string, missing: readonly string[]): string {
  return [
    'Bonjour,',
    '',
    `L’appel à candidatures est clos depuis le ${frenchCalendarDate(closingDate)}. Votre dossier n° ${dossierNumber} est incomplet et ne pourra pas être examiné en l’état. Éléments manquants ou à corriger :`,
    ...missing.map((m) => `- ${m}`),
    '',
    'Tout dossier incomplet ne sera pas examiné par la commission.',
    'Cordialement,',
    'L’équipe d’instruction de l’ARS',
  ].join('\n');
}

export function planTransitions(input: TransitionPlanInput): TransitionPlan {
  const { settings } = input;
  const plan: TransitionPlan = {
    items: [],
    closed: input.today > settings.closingDate,
    notEvaluated: [],
    staleEvaluations: [],
    late: [],
    alreadyTold: [],
  };
  if (!plan.closed) return plan;
  for (const dossier of input.dossiers) {
    if (dossier.state !== 'en_construction') continue;
    const evaluation = input.evaluations.get(dossier.number);
    if (evaluation === undefined) {
      plan.notEvaluated.push(dossier.number);
      continue;
    }
    if (Date.parse(dossier.dateDerniereModificationChamps) > Date.parse(evaluation.dossierVersion)) {
      plan.staleEvaluations.push(dossier.number);
      continue;
    }
    const base = {
      demarcheNumber: dossier.demarcheNumber,
      dossierNumber: dossier.number,
      dossierId: dossier.id,
      expectedStates: ['en_construction' as const],
    };
    if (evaluation.complet) {
      if (evaluation.findings.some((f) => f.ruleId === 'delai.depot' && f.severity === 'bloquant')) {
        plan.late.push(dossier.number);
        continue;
      }
      plan.items.push({
        ...base,
        operation: 'passerEnInstruction',
        reason: `Dossier complet, appel clos le ${frenchCalendarDate(settings.closingDate)}`,
        payload: { disableNotification: settings.disableNotification },
        // Back en construction after a correction, the dossier may go en instruction again.
        ...(dossier.lastTraitementAt !== undefined ? { basis: `traitement:${dossier.lastTraitementAt}` } : {}),
      });
      continue;
    }
    if (!settings.messageIncomplets) continue;
    const missing = [...evaluation.findings]
      .filter((f) => f.severity === 'bloquant' && isCompletenessRule(f.ruleId))
      .sort((a, b) => a.position - b.position || a.ruleId.localeCompare(b.ruleId))
      .map((f) => f.message.trim());
    if (missing.length === 0) continue;
    const body = incompleteMessage(dossier.number, settings.closingDate, missing);
    if (dossier.messageBodies.some((b) => b.trim() === body.trim())) {
      plan.alreadyTold.push(dossier.number);
      continue;
    }
    plan.items.push({
      ...base,
      operation: 'envoyerMessage',
      reason: `Dossier incomplet (${missing.length} élément${missing.length > 1 ? 's' : ''}) : message à l’usager`,
      payload: { body },
    });
  }
  return plan;
}
