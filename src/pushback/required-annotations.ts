/**
 * Private annotations the form makes mandatory. DS refuses to accept, refuse or classer sans
 * suite while one of them is empty or invalid (`can_terminer?`), and says so with a misleading
 * « Le dossier est déjà en instruction » (NOTES §3 and §6): plans check them first, and that
 * answer is translated when it comes anyway.
 */
import type { Db } from '../db/database.ts';
import { getDescriptors } from '../mirror/mirror.repository.ts';
import type { AnnotationValue, Operation } from './plan.ts';

export interface RequiredAnnotation {
  id: string;
  label: string;
}

/** Operations DS refuses while a required private annotation is empty. */
export const TERMINER_OPERATIONS: ReadonlySet<Operation> = new Set(['accepter', 'refuser', 'classerSansSuite']);

/** Required top-level private annotations of the démarche's active revision, from the mirrored form. */
export async function loadRequiredAnnotations(db: Db, demarcheNumber: number): Promise<RequiredAnnotation[]> {
  const descriptors = await getDescriptors(db, demarcheNumber, 'annotation');
  return descriptors.filter((d) => d.parent_id === null && d.required === 1).map((d) => ({ id: d.id, label: d.label }));
}

function isEmpty(value: AnnotationValue | null | undefined): boolean {
  if (value === null || value === undefined) return true;
  // A required checkbox must be ticked; an empty multiple choice is no answer.
  if ('checkbox' in value) return !value.checkbox;
  if ('multipleDropDownList' in value) return value.multipleDropDownList.length === 0;
  return false;
}

/**
 * Labels of the required annotations this dossier leaves empty. Only annotations the dossier
 * carries count: DS does not return (nor require) one hidden by a condition.
 */
export function emptyRequiredAnnotations(
  required: readonly RequiredAnnotation[],
  annotations: ReadonlyMap<string, AnnotationValue | null>,
): string[] {
  return required.filter((r) => annotations.has(r.id) && isEmpty(annotations.get(r.id))).map((r) => r.label);
}

/** « annotation obligatoire vide : « A », « B » », as every refusal for it says. */
export function emptyRequiredText(labels: readonly string[]): string {
  return `annotation obligatoire vide : ${labels.map((l) => `« ${l} »`).join(', ')}`;
}

/** « Le dossier est déjà en instruction » answered to a decision on a dossier en instruction. */
export function isMisleadingTerminerError(operation: Operation, message: string): boolean {
  return TERMINER_OPERATIONS.has(operation) && /^Le dossier est déjà en instruction/.test(message.trim());
}

/** The true cause of that answer, in French, with the empty annotations when they are known. */
export function explainTerminerRefusal(dsMessage: string, emptyLabels: readonly string[]): string {
  const cause =
    emptyLabels.length > 0
      ? emptyRequiredText(emptyLabels)
      : 'une annotation privée obligatoire est vide ou invalide (ou le SIRET est en mode dégradé)';
  return `DS a répondu « ${dsMessage.trim()} », mais la vraie cause est : ${cause}. Remplissez-la dans DS (ou avec « ds-ars annotate »), puis relancez la même commande.`;
}
