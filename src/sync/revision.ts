import type { Insertable } from 'kysely';
import type { z } from 'zod';
import type { getDemarcheAnswer } from '../graphql/answers.ts';
import type { DescriptorTable, SyncStateRow } from '../db/tables/mirror.table.ts';

/** The démarche as GetDemarche returns it once validated. */
export type DemarcheNode = z.output<typeof getDemarcheAnswer>['demarche'];
type RevisionNode = DemarcheNode['activeRevision'];
type DescriptorNode = RevisionNode['champDescriptors'][number];
type ChildDescriptorNode = NonNullable<Extract<DescriptorNode, { __typename: 'RepetitionChampDescriptor' }>['champDescriptors']>[number];

export type NewDescriptorRow = Insertable<DescriptorTable>;

function optionsOf(d: DescriptorNode | ChildDescriptorNode): string | null {
  if (d.__typename === 'DropDownListChampDescriptor') return JSON.stringify({ options: d.options, otherOption: d.otherOption });
  if (d.__typename === 'MultipleDropDownListChampDescriptor' || d.__typename === 'LinkedDropDownListChampDescriptor')
    return JSON.stringify({ options: d.options });
  return null;
}

/**
 * Descriptor rows of a revision, in form order: champs then annotations, each repetition block
 * followed by its children (which carry the block's id in `parent_id`). Pure.
 */
export function flattenRevision(revision: RevisionNode): NewDescriptorRow[] {
  const rows: NewDescriptorRow[] = [];
  let position = 0;
  const add = (scope: 'champ' | 'annotation', d: DescriptorNode | ChildDescriptorNode, parent: string | null): void => {
    rows.push({
      revision_id: revision.id,
      id: d.id,
      scope,
      parent_id: parent,
      position: position++,
      typename: d.__typename === 'OtherChampDescriptor' ? d.dsTypename : d.__typename,
      label: d.label,
      description: d.description,
      required: d.required ? 1 : 0,
      options_json: optionsOf(d),
    });
  };
  for (const scope of ['champ', 'annotation'] as const) {
    for (const d of scope === 'champ' ? revision.champDescriptors : revision.annotationDescriptors) {
      add(scope, d, null);
      if (d.__typename === 'RepetitionChampDescriptor') for (const child of d.champDescriptors ?? []) add(scope, child, d.id);
    }
  }
  return rows;
}

/**
 * Descriptors are rewritten only when DS's active revision differs from the one stored with
 * the sync state (a published form change), or when none was stored yet.
 */
export function revisionChanged(state: Pick<SyncStateRow, 'revision_id'> | undefined, demarche: DemarcheNode): boolean {
  return state?.revision_id !== demarche.activeRevision.id;
}
