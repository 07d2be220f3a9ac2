import type { RevisionFieldsFragment } from '../../generated/graphql.ts';

/** A form champ as the mapping sees it, independent of where it was read (DS or the mirror). */
export interface ChampDescriptorInfo {
  readonly id: string;
  readonly label: string;
  /** DS type without suffix: 'Text', 'Date', 'PieceJustificative', 'Repetition'… */
  readonly type: string;
  readonly required: boolean;
  readonly description?: string | null;
  readonly options?: readonly string[] | null;
  /** Champs of a repetition block. */
  readonly children?: readonly ChampDescriptorInfo[];
}

/** 'TextChampDescriptor' / 'TextChamp' → 'Text'. */
export function champType(typename: string): string {
  return typename.replace(/ChampDescriptor$/, '').replace(/Champ$/, '');
}

interface RawDescriptor {
  __typename: string;
  id: string;
  label: string;
  description: string | null;
  required: boolean;
  options?: string[] | null;
  champDescriptors?: RawDescriptor[] | null;
}

function toInfo(d: RawDescriptor): ChampDescriptorInfo {
  return {
    id: d.id,
    label: d.label,
    type: champType(d.__typename),
    required: d.required,
    description: d.description,
    options: d.options ?? null,
    children: d.champDescriptors ? d.champDescriptors.map(toInfo) : undefined,
  };
}

/** Champ (or annotation) descriptors of a DS revision. */
export function descriptorsFromRevision(revision: RevisionFieldsFragment, which: 'champs' | 'annotations' = 'champs'): ChampDescriptorInfo[] {
  const list: readonly RawDescriptor[] = which === 'champs' ? revision.champDescriptors : revision.annotationDescriptors;
  return list.map(toInfo);
}

/** Every descriptor by id, repetition children included. */
export function indexDescriptors(descriptors: readonly ChampDescriptorInfo[]): Map<string, ChampDescriptorInfo> {
  const index = new Map<string, ChampDescriptorInfo>();
  const visit = (list: readonly ChampDescriptorInfo[]) => {
    for (const d of list) {
      index.set(d.id, d);
      if (d.children) visit(d.children);
    }
  };
  visit(descriptors);
  return index;
}

/** Layout champs carry no value and are never mapped. */
export function isLayoutType(type: string): boolean {
  return type === 'HeaderSection' || type === 'Explication';
}
