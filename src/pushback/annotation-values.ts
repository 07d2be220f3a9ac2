/**
 * Turning verdicts into the value an annotation's type accepts (`AnnotationValueInput` key chosen
 * from the descriptor's typename) and matching drop-down options tolerantly.
 */
import { AppError } from '../errors.ts';
import { parisDateOf } from '../shared/dates.ts';
import { normalizeText } from '../shared/names.ts';
import type { AnnotationValue } from './plan.ts';

/** An annotation named in the configuration, resolved against the démarche's descriptors. */
export interface AnnotationTarget {
  id: string;
  label: string;
  typename: string;
  options: string[] | null;
}

export type Verdict = 'oui' | 'non' | 'a_verifier';

export const VERDICT_LABELS: Record<Verdict, string> = { oui: 'Oui', non: 'Non', a_verifier: 'À vérifier' };

const VERDICT_WORDS: Record<Verdict, { main: string; alternates: string[] }> = {
  oui: { main: 'oui', alternates: ['eligible', 'yes', 'favorable'] },
  non: { main: 'non', alternates: ['non eligible', 'ineligible', 'no', 'defavorable'] },
  a_verifier: { main: 'a verifier', alternates: ['a controler', 'a examiner', 'a revoir', 'incertain', 'en attente'] },
};

/** The option of a drop-down that means `verdict` ("Oui", "oui – éligible", "A vérifier"…), if any. */
export function matchVerdictOption(options: readonly string[], verdict: Verdict): string | undefined {
  const words = VERDICT_WORDS[verdict];
  const normalised = options.map((o) => ({ option: o, n: normalizeText(o) }));
  return (
    normalised.find((o) => o.n === words.main || words.alternates.includes(o.n))?.option ??
    normalised.find((o) => o.n.startsWith(`${words.main} `))?.option
  );
}

function unsupported(target: AnnotationTarget, role: string): AppError {
  return new AppError(
    'config',
    `L’annotation « ${target.label} » (${target.typename.replace(/ChampDescriptor$/, '')}) ne peut pas recevoir ${role}. Choisissez dans la configuration une annotation d’un type adapté.`,
  );
}

/** Free text, for the summary of findings. */
export function textValue(target: AnnotationTarget, text: string): AnnotationValue {
  switch (target.typename) {
    case 'TextareaChampDescriptor':
      return { textarea: text };
    case 'TextChampDescriptor':
      return { text };
    default:
      throw unsupported(target, 'la synthèse des constats (texte ou zone de texte attendu)');
  }
}

/** Yes/no fact (dossier complet). */
export function booleanValue(target: AnnotationTarget, value: boolean): AnnotationValue {
  switch (target.typename) {
    case 'CheckboxChampDescriptor':
      return { checkbox: value };
    case 'YesNoChampDescriptor':
      return { yesNo: value };
    case 'DropDownListChampDescriptor':
      return verdictValue(target, value ? 'oui' : 'non') ?? { dropDownList: value ? 'Oui' : 'Non' };
    case 'TextChampDescriptor':
      return { text: value ? 'Oui' : 'Non' };
    case 'TextareaChampDescriptor':
      return { textarea: value ? 'Oui' : 'Non' };
    default:
      throw unsupported(target, 'une valeur oui/non (case à cocher, oui/non, liste ou texte attendu)');
  }
}

/**
 * The eligibility verdict. A checkbox or yes/no cannot say "à vérifier": that verdict leaves it
 * alone (undefined). A drop-down without a matching option is a configuration error.
 */
export function verdictValue(target: AnnotationTarget, verdict: Verdict): AnnotationValue | undefined {
  switch (target.typename) {
    case 'DropDownListChampDescriptor': {
      const option = matchVerdictOption(target.options ?? [], verdict);
      if (option === undefined) {
        throw new AppError(
          'config',
          `L’annotation « ${target.label} » (liste déroulante) n’a pas d’option pour « ${VERDICT_LABELS[verdict]} » (options : ${(target.options ?? []).map((o) => `« ${o} »`).join(', ') || 'aucune'}). Ajoutez cette option dans DS ou choisissez une autre annotation.`,
        );
      }
      return { dropDownList: option };
    }
    case 'CheckboxChampDescriptor':
      return verdict === 'a_verifier' ? undefined : { checkbox: verdict === 'oui' };
    case 'YesNoChampDescriptor':
      return verdict === 'a_verifier' ? undefined : { yesNo: verdict === 'oui' };
    case 'TextChampDescriptor':
      return { text: VERDICT_LABELS[verdict] };
    case 'TextareaChampDescriptor':
      return { textarea: VERDICT_LABELS[verdict] };
    default:
      throw unsupported(target, 'le verdict d’éligibilité (liste déroulante, oui/non ou texte attendu)');
  }
}

/** The date of the check. */
export function dateValue(target: AnnotationTarget, checkedAt: string): AnnotationValue {
  const day = parisDateOf(checkedAt);
  if (day === null) throw new AppError('internal', `Date de contrôle illisible : « ${checkedAt} ».`);
  switch (target.typename) {
    case 'DateChampDescriptor':
      return { date: day };
    case 'DatetimeChampDescriptor':
      return { datetime: new Date(checkedAt).toISOString() };
    case 'TextChampDescriptor':
    case 'TextareaChampDescriptor': {
      const [y, m, d] = day.split('-');
      const text = `${d}/${m}/${y}`;
      return target.typename === 'TextChampDescriptor' ? { text } : { textarea: text };
    }
    default:
      throw unsupported(target, 'la date du contrôle (date, date et heure ou texte attendu)');
  }
}
