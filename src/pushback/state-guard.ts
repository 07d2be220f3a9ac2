import type { DossierView } from './dossier-view.ts';
import { sameAnnotationValue } from './dossier-view.ts';
import { frenchDateTimeOrUnknown } from '../shared/french-format.ts';
import type { DossierState, Operation, PlanItem } from './plan.ts';
import { emptyRequiredAnnotations, emptyRequiredText, type RequiredAnnotation, TERMINER_OPERATIONS } from './required-annotations.ts';

export const STATE_LABELS: Record<DossierState, string> = {
  en_construction: 'en construction',
  en_instruction: 'en instruction',
  accepte: 'accepté',
  refuse: 'refusé',
  sans_suite: 'classé sans suite',
};

export const OPERATION_LABELS: Record<Operation, string> = {
  passerEnInstruction: 'Passer en instruction',
  repasserEnConstruction: 'Repasser en construction',
  repasserEnInstruction: 'Repasser en instruction',
  accepter: 'Accepter',
  refuser: 'Refuser',
  classerSansSuite: 'Classer sans suite',
  modifierAnnotations: 'Modifier les annotations',
  envoyerMessage: 'Envoyer un message',
};

const TERMINAL: DossierState[] = ['accepte', 'refuse', 'sans_suite'];

/** DS's own preconditions (NOTES §3): the states from which each mutation is allowed. */
export const ALLOWED_STATES: Record<Operation, DossierState[]> = {
  passerEnInstruction: ['en_construction'],
  repasserEnConstruction: ['en_instruction'],
  repasserEnInstruction: TERMINAL,
  accepter: ['en_instruction'],
  refuser: ['en_instruction'],
  classerSansSuite: ['en_instruction'],
  modifierAnnotations: ['en_construction', 'en_instruction', ...TERMINAL],
  envoyerMessage: ['en_construction', 'en_instruction', ...TERMINAL],
};

/** The state a state-changing mutation leads to. */
export const TARGET_STATE: Partial<Record<Operation, DossierState>> = {
  passerEnInstruction: 'en_instruction',
  repasserEnConstruction: 'en_construction',
  repasserEnInstruction: 'en_instruction',
  accepter: 'accepte',
  refuser: 'refuse',
  classerSansSuite: 'sans_suite',
};

/**
 * Whether DS already shows the effect of the item: target state reached, every annotation value
 * present, or a message with the same body. Used to settle a mutation left 'sending' by a crash
 * (never resend blindly) and to skip work that is already done.
 */
export function effectPresent(item: PlanItem, dossier: DossierView): boolean {
  switch (item.operation) {
    case 'modifierAnnotations':
      return item.payload.annotations.every((a) => sameAnnotationValue(dossier.annotations.get(a.id), a.value));
    case 'envoyerMessage': {
      const body = item.payload.body.trim();
      return dossier.messageBodies.some((b) => b.trim() === body);
    }
    case 'passerEnInstruction':
      // Any later state means it went en instruction (and an instructeur went on from there).
      return dossier.state !== 'en_construction';
    default:
      return dossier.state === TARGET_STATE[item.operation];
  }
}

export type GuardVerdict = { ok: true } | { ok: false; status: 'skipped' | 'guarded'; message: string };

/**
 * Why DS would refuse the item or why it must not be sent on this view, in French, or null:
 * champs changed since the version the decision or verdict was based on (stale mirror), a
 * correction still awaited, a required private annotation still empty.
 */
export function readinessProblem(item: PlanItem, dossier: DossierView, required: readonly RequiredAnnotation[]): string | null {
  const version = item.version;
  if (version !== undefined && Date.parse(dossier.dateDerniereModificationChamps) > Date.parse(version.champsModifiedAt)) {
    return `Dossier n° ${dossier.number} modifié dans DS depuis le contrôle du ${frenchDateTimeOrUnknown(version.since)} : resynchronisez, relancez le contrôle et revoyez la décision. Rien n’a été envoyé.`;
  }
  if (item.operation === 'passerEnInstruction' && dossier.pendingCorrection) {
    return `Dossier n° ${dossier.number} en attente de correction : DS refuse de le passer en instruction tant que l’usager n’a pas corrigé son dossier (ou que la demande n’est pas annulée dans DS). Rien n’a été envoyé.`;
  }
  if (TERMINER_OPERATIONS.has(item.operation)) {
    const empty = emptyRequiredAnnotations(required, dossier.annotations);
    if (empty.length > 0) {
      return `Dossier n° ${dossier.number} : ${emptyRequiredText(empty)} ; DS refuse la décision tant qu’elle n’est pas remplie. Remplissez-la dans DS puis relancez. Rien n’a été envoyé.`;
    }
  }
  return null;
}

/** State-machine guard, checked on the freshest view of the dossier just before sending. */
export function guardItem(item: PlanItem, dossier: DossierView, required: readonly RequiredAnnotation[] = []): GuardVerdict {
  if (effectPresent(item, dossier)) {
    const message =
      item.operation === 'modifierAnnotations'
        ? 'Les annotations ont déjà ces valeurs dans DS.'
        : item.operation === 'envoyerMessage'
          ? 'Ce message figure déjà dans la messagerie du dossier.'
          : `Le dossier est déjà « ${STATE_LABELS[dossier.state]} ».`;
    return { ok: false, status: 'skipped', message };
  }
  const allowed = item.expectedStates.filter((s) => ALLOWED_STATES[item.operation].includes(s));
  if (!allowed.includes(dossier.state)) {
    const expected = allowed.map((s) => `« ${STATE_LABELS[s]} »`).join(' ou ') || 'aucun état possible';
    return {
      ok: false,
      status: 'guarded',
      message: `Dossier n° ${dossier.number} « ${STATE_LABELS[dossier.state]} » : « ${OPERATION_LABELS[item.operation]} » exige l’état ${expected}. Rien n’a été envoyé ; relancez « ds-ars sync » puis refaites le plan.`,
    };
  }
  const problem = readinessProblem(item, dossier, required);
  if (problem !== null) return { ok: false, status: 'guarded', message: problem };
  return { ok: true };
}
