import type { DossierNode } from '../graphql/answers.ts';
import type { AnnotationValue, DossierState } from './plan.ts';

type ChampNode = DossierNode['annotations'][number];

/** What the guard and the reconciliation need to know about a dossier, wherever it was read. */
export interface DossierView {
  number: number;
  id: string;
  state: DossierState;
  groupeInstructeurId: string | null;
  groupeInstructeurLabel: string | null;
  dateDerniereModification: string;
  dateDerniereModificationChamps: string;
  dateDerniereModificationAnnotations: string;
  /** Annotation values by descriptor id, in the shape of `AnnotationValueInput` (null when empty). */
  annotations: Map<string, AnnotationValue | null>;
  messageBodies: string[];
  /** A correction asked of the usager and not yet made: DS refuses dossierPasserEnInstruction (NOTES §3). */
  pendingCorrection: boolean;
  /** 'mirror' or 'ds' (fresh GetDossier). */
  source: 'mirror' | 'ds';
}

/** Reads a champ's value into the AnnotationValueInput key its type uses. */
export function champValue(champ: ChampNode): AnnotationValue | null {
  switch (champ.__typename) {
    case 'TextChamp':
      return champ.textValue === null || champ.textValue === '' ? null : { text: champ.textValue };
    case 'CheckboxChamp':
      return { checkbox: champ.checked };
    case 'YesNoChamp':
      return champ.yesNo === null ? null : { yesNo: champ.yesNo };
    case 'DateChamp':
      return champ.date === null ? null : { date: champ.date.slice(0, 10) };
    case 'DatetimeChamp':
      return champ.datetime === null ? null : { datetime: champ.datetime };
    case 'DropDownListChamp':
      return champ.choice === null || champ.choice === '' ? null : { dropDownList: champ.choice };
    case 'MultipleDropDownListChamp':
      return { multipleDropDownList: champ.values };
    case 'IntegerNumberChamp':
      return champ.integerValue === null ? null : { integerNumber: Number(champ.integerValue) };
    case 'DecimalNumberChamp':
      return champ.decimalValue === null ? null : { decimalNumber: champ.decimalValue };
    default:
      return champ.stringValue === null || champ.stringValue === '' ? null : { text: champ.stringValue };
  }
}

export function dossierViewFromNode(node: DossierNode, source: DossierView['source']): DossierView {
  const annotations = new Map<string, AnnotationValue | null>();
  for (const champ of node.annotations) annotations.set(champ.champDescriptorId || champ.id, champValue(champ));
  return {
    number: node.number,
    id: node.id,
    state: node.state,
    groupeInstructeurId: node.groupeInstructeur.id,
    groupeInstructeurLabel: node.groupeInstructeur.label,
    dateDerniereModification: node.dateDerniereModification,
    dateDerniereModificationChamps: node.dateDerniereModificationChamps,
    dateDerniereModificationAnnotations: node.dateDerniereModificationAnnotations,
    annotations,
    messageBodies: node.messages.map((m) => m.body),
    pendingCorrection: hasPendingCorrection(node),
    source,
  };
}

/** Whether a correction asked of the usager is still open (mirrors older than the field have none). */
export function hasPendingCorrection(node: Pick<DossierNode, 'messages'>): boolean {
  return node.messages.some((m) => m.correction != null && m.correction.dateResolution === null);
}

/** The one scalar an annotation value carries, whatever its key. */
function scalarOf(value: AnnotationValue): unknown {
  return Object.values(value)[0];
}

const normaliseText = (text: string): string => text.replace(/\r\n/g, '\n').trim();

/**
 * Whether DS already holds `wanted`. Text and textarea are the same for DS (both come back as
 * TextChamp); checkbox and yes/no both carry a boolean; an unticked checkbox equals "false".
 */
export function sameAnnotationValue(current: AnnotationValue | null | undefined, wanted: AnnotationValue): boolean {
  if (current === null || current === undefined) {
    return 'checkbox' in wanted ? wanted.checkbox === false : false;
  }
  const a = scalarOf(current);
  const b = scalarOf(wanted);
  if (typeof a === 'string' && typeof b === 'string') {
    if ('date' in wanted) return a.slice(0, 10) === b.slice(0, 10);
    return normaliseText(a) === normaliseText(b);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
  if (typeof b === 'number') return Number(a) === b;
  return a === b;
}
