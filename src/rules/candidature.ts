import { z } from 'zod';
import type { DemarcheConfig } from '../config/file.schema.ts';
import { AppError } from '../errors.ts';
import type { DossierFieldsFragment } from '../generated/graphql.ts';
import { champType, isLayoutType } from './mapping/descriptors.ts';
import type { ResolvedMapping } from './mapping/resolve-mapping.ts';
import { getProgramme } from '../domain/programmes/index.ts';
import type { FieldSpec } from '../domain/programmes/types.ts';
import { parseLooseBoolean } from './validators/booleans.ts';
import { type CalendarDate, parseCalendarDate } from '../shared/dates.ts';
import { removeInvisibles } from '../shared/names.ts';
import type { FieldStatus, FieldValue, FileRef } from './field-value.ts';
import { type FieldContent, MappedField, type ReadingSource } from './mapped-field.ts';

export type DossierStateName = 'en_construction' | 'en_instruction' | 'accepte' | 'refuse' | 'sans_suite';

export type { FieldStatus, FieldValue, FileRef } from './field-value.ts';

/** Every champ of the answer, for DS's own required flags (complet.champ_requis). */
export interface ChampSummary {
  readonly champId: string;
  readonly label: string;
  readonly type: string;
  readonly required: boolean;
  readonly filled: boolean;
  readonly raw: string | null;
  readonly files: readonly FileRef[];
}

export interface Demandeur {
  readonly kind: 'personne_physique' | 'personne_morale';
  readonly nom: string | null;
  readonly prenom: string | null;
  readonly dateNaissance: CalendarDate | null;
  readonly email: string | null;
  readonly siret: string | null;
  readonly raisonSociale: string | null;
}

/** The parsed view of a dossier that rules read. Never a GraphQL node, never a SQL row. */
export interface Candidature {
  readonly dossierNumber: number;
  readonly dossierId: string;
  readonly demarcheNumber: number;
  readonly state: DossierStateName;
  readonly archived: boolean;
  readonly dateDepot: string;
  readonly dateDerniereModification: string;
  readonly usagerEmail: string | null;
  readonly demandeur: Demandeur | null;
  readonly groupe: { readonly number: number; readonly label: string } | null;
  readonly fields: ReadonlyMap<string, FieldValue>;
  readonly champs: readonly ChampSummary[];
}

// --- zod at the edge: the dossier node may come from DS or from the mirror's stored JSON. ---

const fileSchema = z.looseObject({
  filename: z.string(),
  contentType: z.string().default('application/octet-stream'),
  checksum: z.string().default(''),
  byteSizeBigInt: z.union([z.string(), z.number()]).nullish(),
});

const baseChamp = {
  __typename: z.string(),
  id: z.string(),
  champDescriptorId: z.string(),
  label: z.string(),
  stringValue: z.string().nullish(),
  textValue: z.string().nullish(),
  date: z.string().nullish(),
  datetime: z.string().nullish(),
  checked: z.boolean().nullish(),
  yesNo: z.boolean().nullish(),
  choice: z.string().nullish(),
  values: z.array(z.string()).nullish(),
  primaryValue: z.string().nullish(),
  secondaryValue: z.string().nullish(),
  integerValue: z.union([z.string(), z.number()]).nullish(),
  decimalValue: z.number().nullish(),
  civilite: z.string().nullish(),
  etablissement: z.looseObject({ siret: z.string().nullish() }).nullish(),
  files: z.array(fileSchema).nullish(),
};

const leafChampSchema = z.looseObject(baseChamp);
const champSchema = z.looseObject({
  ...baseChamp,
  rows: z.array(z.looseObject({ id: z.string().optional(), champs: z.array(leafChampSchema) })).nullish(),
});

const dossierSchema = z.looseObject({
  id: z.string(),
  number: z.number().int(),
  state: z.enum(['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite']),
  archived: z.boolean().default(false),
  dateDepot: z.string(),
  dateDerniereModification: z.string(),
  demarche: z.looseObject({ number: z.number().int() }),
  groupeInstructeur: z.looseObject({ number: z.number(), label: z.string() }).nullish(),
  usager: z.looseObject({ email: z.string() }).nullish(),
  demandeur: z
    .looseObject({
      __typename: z.string(),
      nom: z.string().nullish(),
      prenom: z.string().nullish(),
      dateDeNaissance: z.string().nullish(),
      email: z.string().nullish(),
      siret: z.string().nullish(),
      entreprise: z.looseObject({ raisonSociale: z.string().nullish() }).nullish(),
    })
    .nullish(),
  champs: z.array(champSchema),
});

type LeafChamp = z.output<typeof leafChampSchema>;
type ParsedDossier = z.output<typeof dossierSchema>;

// --- Fast path: a plain structural check of exactly what dossierSchema validates. ---
// A node that passes it is one zod accepts and returns unchanged (no default to apply), so it is
// used as is; anything else (a default to fill, a wrong type) goes through zod, which then
// decides and words the error. Same candidatures, without zod's per-node cost (~1 ms per dossier).

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNullish = (v: unknown) => v === null || v === undefined;
const nullishString = (v: unknown) => v === null || v === undefined || typeof v === 'string';
const nullishBoolean = (v: unknown) => v === null || v === undefined || typeof v === 'boolean';
const finiteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const safeInt = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v);
const STATES: ReadonlySet<unknown> = new Set(['en_construction', 'en_instruction', 'accepte', 'refuse', 'sans_suite']);

function plainFile(f: unknown): boolean {
  if (!isObj(f)) return false;
  // contentType and checksum have zod defaults: a file without them takes the zod path.
  const size = f['byteSizeBigInt'];
  return typeof f['filename'] === 'string' && typeof f['contentType'] === 'string' && typeof f['checksum'] === 'string' &&
    (isNullish(size) || typeof size === 'string' || finiteNumber(size));
}

function plainRows(rows: unknown): boolean {
  return isNullish(rows) || (Array.isArray(rows) && rows.every((row: unknown) =>
    isObj(row) && (row['id'] === undefined || typeof row['id'] === 'string') &&
    Array.isArray(row['champs']) && (row['champs'] as unknown[]).every((child) => plainChamp(child, false))));
}

// One walk over the keys a champ has: each champ holds a few of the optional keys, and looking up
// every absent one on champs of many shapes cost more than the walk.
function plainChamp(c: unknown, withRows: boolean): boolean {
  if (!isObj(c)) return false;
  if (typeof c['__typename'] !== 'string' || typeof c['id'] !== 'string' || typeof c['champDescriptorId'] !== 'string' || typeof c['label'] !== 'string') return false;
  for (const key in c) {
    const v = c[key];
    switch (key) {
      case 'stringValue': case 'textValue': case 'date': case 'datetime': case 'choice': case 'primaryValue': case 'secondaryValue': case 'civilite':
        if (!nullishString(v)) return false;
        break;
      case 'checked': case 'yesNo':
        if (!nullishBoolean(v)) return false;
        break;
      case 'values':
        if (!isNullish(v) && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) return false;
        break;
      case 'integerValue':
        if (!isNullish(v) && typeof v !== 'string' && !finiteNumber(v)) return false;
        break;
      case 'decimalValue':
        if (!isNullish(v) && !finiteNumber(v)) return false;
        break;
      case 'etablissement':
        if (!isNullish(v) && !(isObj(v) && nullishString(v['siret']))) return false;
        break;
      case 'files':
        if (!isNullish(v) && !(Array.isArray(v) && v.every(plainFile))) return false;
        break;
      case 'rows':
        if (withRows && !plainRows(v)) return false;
        break;
    }
  }
  return true;
}

function plainDossier(d: unknown): d is ParsedDossier {
  if (!isObj(d)) return false;
  if (typeof d['id'] !== 'string' || !safeInt(d['number']) || !STATES.has(d['state'])) return false;
  // archived has a zod default: a node without it takes the zod path.
  if (typeof d['archived'] !== 'boolean' || typeof d['dateDepot'] !== 'string' || typeof d['dateDerniereModification'] !== 'string') return false;
  const demarche = d['demarche'];
  if (!isObj(demarche) || !safeInt(demarche['number'])) return false;
  const groupe = d['groupeInstructeur'];
  if (!isNullish(groupe) && !(isObj(groupe) && finiteNumber(groupe['number']) && typeof groupe['label'] === 'string')) return false;
  const usager = d['usager'];
  if (!isNullish(usager) && !(isObj(usager) && typeof usager['email'] === 'string')) return false;
  const dem = d['demandeur'];
  if (!isNullish(dem)) {
    if (!isObj(dem) || typeof dem['__typename'] !== 'string') return false;
    for (const key of ['nom', 'prenom', 'dateDeNaissance', 'email', 'siret']) if (!nullishString(dem[key])) return false;
    const entreprise = dem['entreprise'];
    if (!isNullish(entreprise) && !(isObj(entreprise) && nullishString(entreprise['raisonSociale']))) return false;
  }
  const champs = d['champs'];
  if (!Array.isArray(champs)) return false;
  for (const c of champs) if (!plainChamp(c, true)) return false;
  return true;
}

function toFile(f: z.output<typeof fileSchema>): FileRef {
  const size = Number(f.byteSizeBigInt ?? 0);
  return { filename: f.filename, contentType: f.contentType, byteSize: Number.isFinite(size) ? size : 0, checksum: f.checksum };
}

function nonEmpty(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  // Invisible characters alone do not make a filled champ.
  return removeInvisibles(s).trim() === '' ? null : s;
}

interface RawReading {
  readonly filled: boolean;
  readonly raw: string | null;
  readonly bool: boolean | null;
  readonly values: string[];
  readonly files: FileRef[];
}

/** Reads one champ leniently (BigInt strings, "oui" in a text champ…): filled or not, raw text, files; typed readings are left to MappedField. */
function readRaw(champ: LeafChamp): RawReading {
  const type = champType(champ.__typename);
  let raw: string | null = null;
  let bool: boolean | null = null;
  let values: string[] = [];
  let files: FileRef[] = [];
  let filled: boolean;
  switch (type) {
    case 'Checkbox':
      bool = champ.checked ?? parseLooseBoolean(champ.stringValue);
      raw = bool === null ? null : bool ? 'Oui' : 'Non';
      filled = bool === true;
      break;
    case 'YesNo':
      bool = champ.yesNo ?? parseLooseBoolean(champ.stringValue);
      raw = bool === null ? null : bool ? 'Oui' : 'Non';
      filled = bool !== null;
      break;
    case 'PieceJustificative':
      files = (champ.files ?? []).map(toFile);
      raw = files.length > 0 ? files.map((f) => f.filename).join(', ') : null;
      filled = files.length > 0;
      break;
    case 'MultipleDropDownList':
      values = (champ.values ?? []).filter((v) => nonEmpty(v) !== null);
      raw = values.length > 0 ? values.join(', ') : null;
      filled = values.length > 0;
      break;
    default: {
      const direct =
        type === 'Text' ? champ.textValue
        : type === 'Date' ? champ.date
        : type === 'Datetime' ? champ.datetime
        : type === 'DropDownList' ? champ.choice
        : type === 'LinkedDropDownList' ? [champ.primaryValue, champ.secondaryValue].filter((v) => nonEmpty(v) !== null).join(' / ')
        : type === 'IntegerNumber' ? (champ.integerValue === null || champ.integerValue === undefined ? null : String(champ.integerValue))
        : type === 'DecimalNumber' ? (champ.decimalValue === null || champ.decimalValue === undefined ? null : String(champ.decimalValue))
        : type === 'Civilite' ? champ.civilite
        : type === 'Siret' ? champ.etablissement?.siret
        : undefined;
      raw = nonEmpty(direct ?? champ.stringValue);
      filled = raw !== null;
      if (raw !== null) values = [raw];
    }
  }
  return { filled, raw, bool, values, files };
}

const NOTHING: FieldContent = { filled: false, raw: null, values: [], files: [] };

function sourceOf(champ: LeafChamp | undefined, r: RawReading | undefined): ReadingSource {
  if (champ === undefined || r === undefined) return { type: '', raw: null, bool: null, decimalValue: null };
  return { type: champType(champ.__typename), raw: r.raw, bool: r.bool, decimalValue: champ.decimalValue };
}

function requiredOf(mapping: ResolvedMapping, descriptorId: string): boolean {
  return mapping.descriptors.get(descriptorId)?.required ?? false;
}

function absent(spec: FieldSpec, mapped: { label: string; descriptorId: string; type: string } | undefined): FieldValue {
  return {
    field: spec.key, kind: spec.kind, status: 'absent_du_formulaire', label: mapped?.label ?? spec.label,
    champId: mapped?.descriptorId ?? null, mapped: mapped !== undefined, type: mapped?.type ?? null, required: false,
    raw: null, value: null, text: null, date: null, number: null, percent: null, boolean: null, values: [], files: [],
  };
}

function validDossier(dossier: unknown): ParsedDossier {
  if (plainDossier(dossier)) return dossier;
  const parsed = dossierSchema.safeParse(dossier);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 3).map((i) => i.path.join('.') || '(racine)').join(', ');
    throw new AppError('malformed_answer', `Dossier illisible (champs inattendus : ${where}). Relancez la synchronisation ; si le problème persiste, signalez-le.`);
  }
  return parsed.data;
}

/**
 * Builds the Candidature of a dossier for a démarche: the dossier node is validated (a structural
 * fast path, zod for anything unusual), each semantic field of the programme is read through the resolved mapping. Throws AppError
 * ('malformed_answer') when the node is not a dossier.
 */
export function buildCandidature(
  dossier: DossierFieldsFragment | unknown,
  demarche: Pick<DemarcheConfig, 'programme'>,
  mapping: ResolvedMapping,
): Candidature {
  const d = validDossier(dossier);
  // Top-level champs by descriptor id (the last one wins), with their raw readings once summarised.
  const byDescriptor = new Map<string, number>();
  const readings: Array<RawReading | undefined> = new Array(d.champs.length);
  const champs: ChampSummary[] = [];
  for (let k = 0; k < d.champs.length; k++) {
    const champ = d.champs[k]!;
    byDescriptor.set(champ.champDescriptorId, k);
    const type = champType(champ.__typename);
    if (isLayoutType(type)) continue;
    if (type === 'Repetition') {
      const rows = champ.rows ?? [];
      champs.push({ champId: champ.champDescriptorId, label: champ.label, type, required: requiredOf(mapping, champ.champDescriptorId), filled: rows.length > 0, raw: rows.length > 0 ? `${rows.length} ligne(s)` : null, files: [] });
      for (let i = 0; i < rows.length; i++) {
        for (const child of rows[i]!.champs) {
          const r = readRaw(child);
          champs.push({ champId: child.champDescriptorId, label: `${champ.label} › ${child.label} (ligne ${i + 1})`, type: champType(child.__typename), required: requiredOf(mapping, child.champDescriptorId), filled: r.filled, raw: r.raw, files: r.files });
        }
      }
      continue;
    }
    const r = readRaw(champ);
    readings[k] = r;
    champs.push({ champId: champ.champDescriptorId, label: champ.label, type, required: requiredOf(mapping, champ.champDescriptorId), filled: r.filled, raw: r.raw, files: r.files });
  }

  const fields = new Map<string, FieldValue>();
  for (const { spec } of getProgramme(demarche.programme).fields) {
    const resolved = mapping.fields.get(spec.key);
    if (resolved === undefined) {
      fields.set(spec.key, absent(spec, undefined));
      continue;
    }
    if (resolved.repetitionId !== null) {
      const index = byDescriptor.get(resolved.repetitionId);
      if (index === undefined) {
        fields.set(spec.key, absent(spec, resolved));
        continue;
      }
      // Every line of the block: the filled ones joined, typed readings from the first filled one.
      const children = (d.champs[index]!.rows ?? []).flatMap((row) => row.champs.filter((c) => c.champDescriptorId === resolved.descriptorId));
      const read = children.map(readRaw);
      const filled = read.filter((r) => r.filled);
      const i = Math.max(0, read.findIndex((r) => r.filled));
      const content: FieldContent =
        filled.length === 0 ? (read[0] ?? NOTHING)
        : { filled: true, raw: filled.map((r) => r.raw).join(' ; '), values: filled.flatMap((r) => r.values), files: filled.flatMap((r) => r.files) };
      fields.set(spec.key, new MappedField(spec, resolved, resolved.label, content, sourceOf(children[i], read[i])));
      continue;
    }
    const index = byDescriptor.get(resolved.descriptorId);
    if (index === undefined) {
      fields.set(spec.key, absent(spec, resolved));
      continue;
    }
    const champ = d.champs[index]!;
    const r = readings[index] ?? readRaw(champ);
    fields.set(spec.key, new MappedField(spec, resolved, champ.label, r, sourceOf(champ, r)));
  }

  const dem = d.demandeur;
  const demandeur: Demandeur | null =
    dem == null ? null
    : dem.__typename === 'PersonnePhysique'
      ? { kind: 'personne_physique', nom: dem.nom ?? null, prenom: dem.prenom ?? null, dateNaissance: dem.dateDeNaissance ? parseCalendarDate(dem.dateDeNaissance) : null, email: dem.email ?? null, siret: null, raisonSociale: null }
      : { kind: 'personne_morale', nom: null, prenom: null, dateNaissance: null, email: null, siret: dem.siret ?? null, raisonSociale: dem.entreprise?.raisonSociale ?? null };

  return {
    dossierNumber: d.number,
    dossierId: d.id,
    demarcheNumber: d.demarche.number,
    state: d.state,
    archived: d.archived,
    dateDepot: d.dateDepot,
    dateDerniereModification: d.dateDerniereModification,
    usagerEmail: d.usager?.email ?? null,
    demandeur,
    groupe: d.groupeInstructeur ? { number: d.groupeInstructeur.number, label: d.groupeInstructeur.label } : null,
    fields,
    champs,
  };
}

/** A field of the candidature; a key the programme does not know reads as absent. */
export function fieldOf(c: Candidature, key: string): FieldValue {
  return (
    c.fields.get(key) ?? {
      field: key, kind: 'text', status: 'absent_du_formulaire', label: key, champId: null, mapped: false, type: null, required: false,
      raw: null, value: null, text: null, date: null, number: null, percent: null, boolean: null, values: [], files: [],
    }
  );
}
