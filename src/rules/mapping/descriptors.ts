import { readStoredOptions } from '../../mirror/descriptor-options.ts';

/** A form champ as the mapping sees it, independent of where it was read (DS or the mirror). */
export interface ChampDescriptorInfo {
  readonly id: string;
  readonly label: string;
  /** DS type without suffix: 'Text', 'Date', 'PieceJustificative', 'Repetition'… */
  readonly type: string;
  readonly required: boolean;
  readonly description?: string | null;
  readonly options?: readonly string[] | null;
  /** A drop-down that lets the candidate type a free answer (« Autre ») besides its options. */
  readonly otherOption?: boolean | null;
  /** Champs of a repetition block. */
  readonly children?: readonly ChampDescriptorInfo[];
}

// Few distinct typenames, read for every champ of every dossier: computed once each.
const CHAMP_TYPES = new Map<string, string>();

/** 'TextChampDescriptor' / 'TextChamp' → 'Text'. */
export function champType(typename: string): string {
  let type = CHAMP_TYPES.get(typename);
  if (type === undefined) {
    type = typename.replace(/ChampDescriptor$/, '').replace(/Champ$/, '');
    if (CHAMP_TYPES.size < 1000) CHAMP_TYPES.set(typename, type);
  }
  return type;
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

/** A descriptor as the mirror stores it (one row per descriptor, children pointing at their block). */
export interface StoredDescriptor {
  readonly id: string;
  readonly parent_id: string | null;
  readonly typename: string;
  readonly label: string;
  readonly description: string | null;
  readonly required: number | boolean;
  readonly options_json: string | null;
}

/** Rebuilds the descriptor tree from mirror rows given in form order. */
export function descriptorsFromRows(rows: readonly StoredDescriptor[]): ChampDescriptorInfo[] {
  const info = (row: StoredDescriptor): ChampDescriptorInfo => ({
    id: row.id,
    label: row.label,
    type: champType(row.typename),
    required: Boolean(row.required),
    description: row.description,
    ...readStoredOptions(row.options_json),
  });
  const children = new Map<string, ChampDescriptorInfo[]>();
  for (const row of rows) {
    if (row.parent_id === null) continue;
    const list = children.get(row.parent_id) ?? [];
    list.push(info(row));
    children.set(row.parent_id, list);
  }
  return rows
    .filter((row) => row.parent_id === null)
    .map((row) => ({ ...info(row), ...(children.has(row.id) ? { children: children.get(row.id)! } : {}) }));
}
