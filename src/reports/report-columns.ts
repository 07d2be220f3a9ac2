import { FIELDS } from '../domain/programmes/fields.ts';
import { getProgramme, type FieldKind, type ProgrammeId } from '../domain/programmes/index.ts';
import { parisDay } from '../shared/french-format.ts';
import { typedValue, type DossierReportRow, type RawFieldValue, type ReportDemarche } from './report-data.ts';

/** What a report cell holds once a champ is turned into something a spreadsheet can sort. */
export type CellContent = string | number | Date | null;

/** A mapped semantic field shown as a column. */
export interface FieldColumn {
  key: string;
  label: string;
  kind: FieldKind;
}

export const IDENTITY_KEYS = ['candidat.nom', 'candidat.prenom'] as const;
export const ESTABLISHMENT_KEYS = ['universite.nom', 'etablissement.nom', 'structure.nom'] as const;
export const ORDRE_PRIORITE_KEY = 'ordre_priorite';

// Not for the jury: identity details beyond the name (RGPD minimisation), codes the rules already
// checked, and pieces (the workbook lists findings about them, not the files).
const HIDDEN_KEYS = new Set([
  'candidat.date_naissance',
  'candidat.rpps',
  'candidat.date_inscription_ordre',
  'etablissement.finess',
  'structure.siret',
  'rgpd.consentement',
  'justification.zone',
]);

function programmeLabel(programme: ProgrammeId, key: string): { label: string; kind: FieldKind } | null {
  // A démarche may map a field its programme does not declare (e.g. an "ordre de priorité" annotation).
  const spec = getProgramme(programme).fields.find((f) => f.spec.key === key)?.spec ?? Object.values(FIELDS).find((f) => f.key === key);
  return spec ? { label: spec.label, kind: spec.kind } : null;
}

const SHORT_LABELS: Readonly<Record<string, string>> = {
  'candidat.nom': 'Nom',
  'candidat.prenom': 'Prénom',
  'universite.nom': 'Université',
  'etablissement.nom': 'Établissement recruteur',
  'structure.nom': 'Structure partenaire',
  ordre_priorite: 'Ordre de priorité',
};

function column(demarche: ReportDemarche, key: string): FieldColumn | null {
  if (!(key in demarche.mapping)) return null;
  const known = programmeLabel(demarche.programme, key);
  return { key, label: SHORT_LABELS[key] ?? known?.label ?? key, kind: known?.kind ?? 'text' };
}

/** Establishment columns (université, établissement recruteur, structure partenaire) that are mapped. */
export function establishmentColumns(demarche: ReportDemarche): FieldColumn[] {
  return ESTABLISHMENT_KEYS.map((key) => column(demarche, key)).filter((c): c is FieldColumn => c !== null);
}

/** The programme's other mapped fields a jury reads, in the programme's order (no pieces). */
export function keyFieldColumns(demarche: ReportDemarche): FieldColumn[] {
  const shown = new Set<string>([...IDENTITY_KEYS, ...ESTABLISHMENT_KEYS, ORDRE_PRIORITE_KEY]);
  return getProgramme(demarche.programme)
    .fields.filter((f) => f.spec.kind !== 'piece' && !shown.has(f.spec.key) && !HIDDEN_KEYS.has(f.spec.key))
    .map((f) => column(demarche, f.spec.key))
    .filter((c): c is FieldColumn => c !== null);
}

export function ordrePrioriteColumn(demarche: ReportDemarche): FieldColumn | null {
  return column(demarche, ORDRE_PRIORITE_KEY);
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?\d+(?:[.,]\d+)?$/.test(value.trim())) return Number(value.trim().replace(',', '.'));
  return null;
}

/** A champ as a cell: dates as Paris calendar days, numbers as numbers, the rest as DS shows it. */
export function fieldCell(kind: FieldKind, raw: RawFieldValue | undefined): CellContent {
  if (!raw) return null;
  const { stringValue } = raw;
  switch (kind) {
    case 'date': {
      const typed = typedValue(raw);
      const day = typeof typed === 'string' ? parisDay(typed) : null;
      return day ?? stringValue;
    }
    case 'number':
    case 'percent':
      return asNumber(typedValue(raw)) ?? asNumber(stringValue) ?? stringValue;
    case 'boolean': {
      const typed = typedValue(raw);
      if (typed === true) return 'Oui';
      if (typed === false) return 'Non';
      return stringValue;
    }
    default: {
      if (stringValue !== null) return stringValue;
      const typed = typedValue(raw);
      return typeof typed === 'string' ? typed : null;
    }
  }
}

/** A field as plain text (breakdowns, mail): empty when absent. */
export function fieldText(row: DossierReportRow, key: string): string {
  const raw = row.fields.get(key);
  const typed = raw && raw.stringValue === null ? typedValue(raw) : null;
  const text = raw?.stringValue ?? (typeof typed === 'string' ? typed : null);
  return text?.trim() ?? '';
}

/** Candidate's name: the mapped champs, else the DS demandeur (a PersonnePhysique files for themself). */
export function candidateName(row: DossierReportRow): { nom: string; prenom: string } {
  return {
    nom: fieldText(row, 'candidat.nom') || (row.demandeurNom ?? '').trim(),
    prenom: fieldText(row, 'candidat.prenom') || (row.demandeurPrenom ?? '').trim(),
  };
}

export const BREAKDOWNS = ['specialite', 'subdivision', 'groupe'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

/** A way of splitting the dossiers in the summary. */
export interface Dimension {
  id: string;
  label: string;
  /** Semantic keys tried in order; none means the DS groupe instructeur. */
  keys: readonly string[];
}

export const DIMENSIONS: readonly Dimension[] = [
  { id: 'specialite', label: 'Spécialité', keys: ['specialite', 'candidat.specialite_des'] },
  { id: 'subdivision', label: 'Subdivision', keys: ['subdivision'] },
  { id: 'groupe', label: 'Groupe instructeur', keys: [] },
  { id: 'zone', label: 'Zone de la structure', keys: ['structure.zone'] },
  { id: 'etablissement', label: 'Établissement recruteur', keys: ['etablissement.nom'] },
  { id: 'universite', label: 'Université', keys: ['universite.nom'] },
];

const DEFAULT_BREAKDOWN: Readonly<Record<ProgrammeId, Breakdown>> = {
  asp: 'specialite',
  asr: 'subdivision',
  asap: 'subdivision',
  aumg: 'groupe',
  mgvh: 'groupe',
};

export function defaultBreakdown(programme: ProgrammeId): Breakdown {
  return DEFAULT_BREAKDOWN[programme];
}

export const UNSET = '(non renseigné)';

export function dimensionValue(dimension: Dimension, row: DossierReportRow): string {
  if (dimension.keys.length === 0) return row.groupe?.trim() || UNSET;
  for (const key of dimension.keys) {
    const text = fieldText(row, key);
    if (text) return text;
  }
  return UNSET;
}

/** The dimensions this démarche can show: the chosen one first, then those whose fields are mapped. */
export function dimensionsFor(demarche: ReportDemarche, main: Breakdown): Dimension[] {
  const usable = DIMENSIONS.filter((d) => d.keys.length === 0 || d.keys.some((k) => k in demarche.mapping));
  const first = DIMENSIONS.find((d) => d.id === main);
  return first ? [first, ...usable.filter((d) => d.id !== main)] : usable;
}
