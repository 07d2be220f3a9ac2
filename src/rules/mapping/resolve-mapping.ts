import { didYouMean } from '../../config/did-you-mean.ts';
import type { ChampRef, MappingEntry } from '../../config/file.schema.ts';
import { AppError } from '../../errors.ts';
import { type ChampDescriptorInfo, indexDescriptors } from './descriptors.ts';
import { normalizeLabel } from './normalize-label.ts';

/** A semantic field bound to one form champ. */
export interface ResolvedChamp {
  readonly field: string;
  readonly descriptorId: string;
  /** Set when the champ lives inside a repetition block. */
  readonly repetitionId: string | null;
  /** Set when the key reads the row of the block whose selector cell says `value` (one row per year). */
  readonly row: ResolvedRowSelector | null;
  readonly label: string;
  readonly type: string;
  readonly required: boolean;
}

/** The row a key reads: the one whose cell `descriptorId` says `value` (see row-selector.ts). */
export interface ResolvedRowSelector {
  readonly descriptorId: string;
  /** Label of the selector cell, e.g. « Année ». */
  readonly label: string;
  readonly value: string | number;
  /** Label of the repetition block, for messages. */
  readonly blockLabel: string;
}

export interface ResolvedMapping {
  readonly fields: ReadonlyMap<string, ResolvedChamp>;
  /** Every descriptor of the form by id (for DS's own `required` flags). */
  readonly descriptors: ReadonlyMap<string, ChampDescriptorInfo>;
}

export interface MappingProblem {
  readonly field: string;
  readonly message: string;
  /** `absent`: no champ has this id or label; `ambiguous`: several champs carry the label. */
  readonly kind: 'absent' | 'ambiguous';
}

function findRef(
  ref: ChampRef,
  pool: readonly ChampDescriptorInfo[],
  where: string,
): { descriptor: ChampDescriptorInfo } | { problem: string; kind: MappingProblem['kind'] } {
  if (typeof ref === 'string') {
    const found = pool.find((d) => d.id === ref);
    return found
      ? { descriptor: found }
      : { problem: `identifiant de champ « ${ref} » introuvable ${where} ; vérifiez-le avec « ds-ars demarche inspect »`, kind: 'absent' };
  }
  const wanted = normalizeLabel(ref.label);
  const found = pool.filter((d) => normalizeLabel(d.label) === wanted);
  if (found.length === 1) return { descriptor: found[0]! };
  if (found.length > 1) {
    return {
      problem: `libellé « ${ref.label} » ambigu ${where} : ${found.length} champs le portent (${found.map((d) => d.id).join(', ')}) ; indiquez l’identifiant du champ`,
      kind: 'ambiguous',
    };
  }
  const guess = didYouMean(
    wanted,
    pool.map((d) => normalizeLabel(d.label)),
  );
  const suggestion = guess ? pool.find((d) => normalizeLabel(d.label) === guess)?.label : undefined;
  return {
    problem: `libellé « ${ref.label} » introuvable ${where}${suggestion ? ` (vouliez-vous dire « ${suggestion} » ?)` : ''}`,
    kind: 'absent',
  };
}

/** Resolves one reference (id or `{ label }`) among top-level descriptors, e.g. an annotation. */
export function resolveChampRef(ref: ChampRef, descriptors: readonly ChampDescriptorInfo[]): ChampDescriptorInfo | string {
  const found = findRef(ref, descriptors, 'dans le formulaire');
  return 'descriptor' in found ? found.descriptor : found.problem;
}

/**
 * Turns the configuration mapping (ids, `{ label }`, `{ repetition, champ }`) into descriptor ids
 * of the form. Problems are returned, in French, one per field, rather than thrown: callers decide.
 */
export function resolveMapping(
  mapping: Readonly<Record<string, MappingEntry>>,
  descriptors: readonly ChampDescriptorInfo[],
): { mapping: ResolvedMapping; problems: MappingProblem[] } {
  const fields = new Map<string, ResolvedChamp>();
  const problems: MappingProblem[] = [];
  for (const [field, entry] of Object.entries(mapping)) {
    if (typeof entry === 'object' && 'repetition' in entry) {
      const block = findRef(
        entry.repetition,
        descriptors.filter((d) => d.type === 'Repetition'),
        'parmi les blocs répétables',
      );
      if ('problem' in block) {
        problems.push({ field, message: block.problem, kind: block.kind });
        continue;
      }
      const where = `dans le bloc « ${block.descriptor.label} »`;
      const child = findRef(entry.champ, block.descriptor.children ?? [], where);
      if ('problem' in child) {
        problems.push({ field, message: child.problem, kind: child.kind });
        continue;
      }
      let row: ResolvedRowSelector | null = null;
      if (entry.ligne !== undefined) {
        const selector = findRef(entry.ligne.champ, block.descriptor.children ?? [], where);
        if ('problem' in selector) {
          problems.push({ field, message: `sélecteur de ligne (ligne.champ) : ${selector.problem}`, kind: selector.kind });
          continue;
        }
        if (selector.descriptor.id === child.descriptor.id) {
          problems.push({
            field,
            message: `le sélecteur de ligne (ligne.champ) désigne le champ lu lui-même (« ${child.descriptor.label} ») ; indiquez la colonne qui dit de quelle ligne il s’agit (par exemple « Année »)`,
            kind: 'absent',
          });
          continue;
        }
        row = {
          descriptorId: selector.descriptor.id,
          label: selector.descriptor.label,
          value: entry.ligne.valeur,
          blockLabel: block.descriptor.label,
        };
      }
      fields.set(field, {
        field,
        descriptorId: child.descriptor.id,
        repetitionId: block.descriptor.id,
        row,
        label:
          row === null ? `${block.descriptor.label} › ${child.descriptor.label}` : `${child.descriptor.label} – ${row.label} ${row.value}`,
        type: child.descriptor.type,
        required: child.descriptor.required,
      });
      continue;
    }
    const found = findRef(entry, descriptors, 'dans le formulaire');
    if ('problem' in found) {
      problems.push({ field, message: found.problem, kind: found.kind });
      continue;
    }
    fields.set(field, {
      field,
      descriptorId: found.descriptor.id,
      repetitionId: null,
      row: null,
      label: found.descriptor.label,
      type: found.descriptor.type,
      required: found.descriptor.required,
    });
  }
  return { mapping: { fields, descriptors: indexDescriptors(descriptors) }, problems };
}

/** Same as resolveMapping, but a single AppError('config') lists every problem. */
export function resolveMappingOrThrow(
  demarcheNumber: number,
  mapping: Readonly<Record<string, MappingEntry>>,
  descriptors: readonly ChampDescriptorInfo[],
): ResolvedMapping {
  const { mapping: resolved, problems } = resolveMapping(mapping, descriptors);
  if (problems.length > 0) {
    throw new AppError(
      'config',
      `Correspondance des champs invalide pour la démarche ${demarcheNumber} :\n${problems.map((p) => `- mapping["${p.field}"] : ${p.message}`).join('\n')}\nCorrigez la section mapping de la configuration.`,
      { details: { demarche: demarcheNumber, fields: problems.map((p) => p.field) } },
    );
  }
  return resolved;
}
