import type { FieldKind } from '../../domain/programmes/types.ts';

/** How well a DS champ type fits a field kind: a small bonus, neutral, or impossible. */
export type Compatibility = 'good' | 'neutral' | 'impossible';

const GOOD: Record<FieldKind, readonly string[]> = {
  text: ['Text', 'Textarea', 'Civilite'],
  identifier: ['Text', 'IntegerNumber'],
  date: ['Date', 'Datetime'],
  number: ['IntegerNumber', 'DecimalNumber'],
  percent: ['IntegerNumber', 'DecimalNumber'],
  boolean: ['Checkbox', 'YesNo'],
  choice: ['DropDownList', 'MultipleDropDownList', 'LinkedDropDownList'],
  piece: ['PieceJustificative'],
  siret: ['Siret'],
};

const NEUTRAL: Record<FieldKind, readonly string[]> = {
  text: ['DropDownList', 'Email', 'Phone', 'Address', 'Commune', 'Siret', 'Departement', 'Region', 'Pays', 'LinkedDropDownList'],
  identifier: ['Siret', 'DecimalNumber'],
  date: ['Text', 'DropDownList'],
  number: ['Text', 'DropDownList'],
  percent: ['Text', 'DropDownList'],
  boolean: ['DropDownList', 'Text'],
  choice: ['Text', 'Textarea', 'YesNo', 'Checkbox', 'Departement', 'Commune'],
  piece: [],
  siret: ['Text', 'IntegerNumber'],
};

export function typeCompatibility(kind: FieldKind, type: string): Compatibility {
  if (GOOD[kind].includes(type)) return 'good';
  if (NEUTRAL[kind].includes(type)) return 'neutral';
  return 'impossible';
}
