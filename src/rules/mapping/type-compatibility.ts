import type { FieldKind } from '../../domain/programmes/types.ts';

/** How well a DS champ type fits a field kind: a small bonus, neutral, or impossible. */
export type Compatibility = 'good' | 'neutral' | 'impossible';

// « Formatted » is DS's « texte formaté » (digits only, a set length…), how an admin types an RPPS
// or a FINESS; « Number » is DS's former number champ, still on older forms.
const GOOD: Record<FieldKind, readonly string[]> = {
  text: ['Text', 'Textarea', 'Civilite'],
  identifier: ['Text', 'IntegerNumber', 'Formatted'],
  date: ['Date', 'Datetime'],
  number: ['IntegerNumber', 'DecimalNumber', 'Number'],
  percent: ['IntegerNumber', 'DecimalNumber', 'Number'],
  boolean: ['Checkbox', 'YesNo'],
  choice: ['DropDownList', 'MultipleDropDownList', 'LinkedDropDownList'],
  piece: ['PieceJustificative'],
  siret: ['Siret'],
};

const NEUTRAL: Record<FieldKind, readonly string[]> = {
  text: [
    'DropDownList',
    'Email',
    'Phone',
    'Address',
    'Commune',
    'Siret',
    'Departement',
    'Region',
    'Pays',
    'LinkedDropDownList',
    'Formatted',
  ],
  identifier: ['Siret', 'DecimalNumber', 'Number'],
  date: ['Text', 'DropDownList', 'Formatted'],
  number: ['Text', 'DropDownList', 'Formatted'],
  percent: ['Text', 'DropDownList', 'Formatted'],
  boolean: ['DropDownList', 'Text'],
  choice: ['Text', 'Textarea', 'YesNo', 'Checkbox', 'Departement', 'Commune'],
  piece: [],
  siret: ['Text', 'IntegerNumber', 'Formatted', 'Number'],
};

export function typeCompatibility(kind: FieldKind, type: string): Compatibility {
  if (GOOD[kind].includes(type)) return 'good';
  if (NEUTRAL[kind].includes(type)) return 'neutral';
  return 'impossible';
}
