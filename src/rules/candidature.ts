import type { DemarcheConfig } from '../config/file.schema.ts';
import type { ChampNode, DossierNode, FileNode, RowChampNode } from '../graphql/answers.ts';
import { champType, isLayoutType } from './mapping/descriptors.ts';
import { rowValueMatches } from './mapping/row-selector.ts';
import type { ResolvedMapping } from './mapping/resolve-mapping.ts';
import { getProgramme } from '../domain/programmes/index.ts';
import type { FieldSpec } from '../domain/programmes/types.ts';
import { parseLooseBoolean } from './validators/booleans.ts';
import { type CalendarDate, parseCalendarDate } from '../shared/dates.ts';
import { removeInvisibles } from '../shared/names.ts';
import type { FieldValue, FileRef, RowLookupProblem } from './field-value.ts';
import { type FieldContent, MappedField, type ReadingSource } from './mapped-field.ts';

export type DossierStateName = 'en_construction' | 'en_instruction' | 'accepte' | 'refuse' | 'sans_suite';

export type { FieldValue, FileRef, RowLookupProblem } from './field-value.ts';

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

// The node is the one validated at the boundary (graphql/answers.ts, when sync received it) and
// stored as is in the mirror: it is trusted here, not validated a second time.

type LeafChamp = ChampNode | RowChampNode;

function toFile(f: FileNode): FileRef {
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

/** The value of a champ as text, from the field its type selects (`undefined`: the type has none). */
function directValue(champ: LeafChamp): string | null | undefined {
  switch (champ.__typename) {
    case 'TextChamp':
      return champ.textValue;
    case 'DateChamp':
      return champ.date;
    case 'DatetimeChamp':
      return champ.datetime;
    case 'DropDownListChamp':
      return champ.choice;
    case 'LinkedDropDownListChamp':
      return [champ.primaryValue, champ.secondaryValue].filter((v) => nonEmpty(v) !== null).join(' / ');
    case 'IntegerNumberChamp':
      return champ.integerValue;
    case 'DecimalNumberChamp':
      return champ.decimalValue === null ? null : String(champ.decimalValue);
    case 'CiviliteChamp':
      return champ.civilite;
    case 'SiretChamp':
      return champ.etablissement?.siret;
    default:
      return undefined;
  }
}

/** Reads one champ leniently ("oui" in a text champ…): filled or not, raw text, files; typed readings are left to MappedField. */
function readRaw(champ: LeafChamp): RawReading {
  let raw: string | null = null;
  let bool: boolean | null = null;
  let values: string[] = [];
  let files: FileRef[] = [];
  let filled: boolean;
  switch (champ.__typename) {
    case 'CheckboxChamp':
      bool = champ.checked;
      raw = bool ? 'Oui' : 'Non';
      filled = bool;
      break;
    case 'YesNoChamp':
      bool = champ.yesNo ?? parseLooseBoolean(champ.stringValue);
      raw = bool === null ? null : bool ? 'Oui' : 'Non';
      filled = bool !== null;
      break;
    case 'PieceJustificativeChamp':
      files = champ.files.map(toFile);
      raw = files.length > 0 ? files.map((f) => f.filename).join(', ') : null;
      filled = files.length > 0;
      break;
    case 'MultipleDropDownListChamp':
      values = champ.values.filter((v) => nonEmpty(v) !== null);
      raw = values.length > 0 ? values.join(', ') : null;
      filled = values.length > 0;
      break;
    default:
      raw = nonEmpty(directValue(champ) ?? champ.stringValue);
      filled = raw !== null;
      if (raw !== null) values = [raw];
  }
  return { filled, raw, bool, values, files };
}

const NOTHING: FieldContent = { filled: false, raw: null, values: [], files: [] };

function sourceOf(champ: LeafChamp | undefined, r: RawReading | undefined): ReadingSource {
  if (champ === undefined || r === undefined) return { type: '', raw: null, bool: null, decimalValue: null };
  return {
    type: champType(champ.__typename),
    raw: r.raw,
    bool: r.bool,
    decimalValue: champ.__typename === 'DecimalNumberChamp' ? champ.decimalValue : undefined,
  };
}

function requiredOf(mapping: ResolvedMapping, descriptorId: string): boolean {
  return mapping.descriptors.get(descriptorId)?.required ?? false;
}

function absent(
  spec: Pick<FieldSpec, 'key' | 'kind' | 'label'>,
  mapped: { label: string; descriptorId: string; type: string } | undefined,
): FieldValue {
  return {
    field: spec.key,
    kind: spec.kind,
    status: 'absent_du_formulaire',
    label: mapped?.label ?? spec.label,
    champId: mapped?.descriptorId ?? null,
    mapped: mapped !== undefined,
    type: mapped?.type ?? null,
    required: false,
    raw: null,
    value: null,
    text: null,
    date: null,
    number: null,
    percent: null,
    boolean: null,
    values: [],
    files: [],
  };
}

/**
 * Builds the Candidature of a dossier for a démarche: each semantic field of the programme is read
 * through the resolved mapping. The node is trusted: it was validated when sync received it.
 */
export function buildCandidature(d: DossierNode, demarche: Pick<DemarcheConfig, 'programme'>, mapping: ResolvedMapping): Candidature {
  // Top-level champs by descriptor id (the last one wins), with their raw readings once summarised.
  const byDescriptor = new Map<string, number>();
  const readings: Array<RawReading | undefined> = new Array(d.champs.length);
  const champs: ChampSummary[] = [];
  for (let k = 0; k < d.champs.length; k++) {
    const champ = d.champs[k]!;
    byDescriptor.set(champ.champDescriptorId, k);
    const type = champType(champ.__typename);
    if (isLayoutType(type)) continue;
    if (champ.__typename === 'RepetitionChamp') {
      const rows = champ.rows;
      champs.push({
        champId: champ.champDescriptorId,
        label: champ.label,
        type,
        required: requiredOf(mapping, champ.champDescriptorId),
        filled: rows.length > 0,
        raw: rows.length > 0 ? `${rows.length} ligne(s)` : null,
        files: [],
      });
      for (let i = 0; i < rows.length; i++) {
        for (const child of rows[i]!.champs) {
          const r = readRaw(child);
          champs.push({
            champId: child.champDescriptorId,
            label: `${champ.label} › ${child.label} (ligne ${i + 1})`,
            type: champType(child.__typename),
            required: requiredOf(mapping, child.champDescriptorId),
            filled: r.filled,
            raw: r.raw,
            files: r.files,
          });
        }
      }
      continue;
    }
    const r = readRaw(champ);
    readings[k] = r;
    champs.push({
      champId: champ.champDescriptorId,
      label: champ.label,
      type,
      required: requiredOf(mapping, champ.champDescriptorId),
      filled: r.filled,
      raw: r.raw,
      files: r.files,
    });
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
      const block = d.champs[index]!;
      const rows = block.__typename === 'RepetitionChamp' ? block.rows : [];
      if (resolved.row !== null) {
        // The row whose selector cell says the value (« Année » = 2), wherever it is listed.
        const selector = resolved.row;
        const matching: number[] = [];
        for (let i = 0; i < rows.length; i++) {
          const cell = rows[i]!.champs.find((c) => c.champDescriptorId === selector.descriptorId);
          if (cell !== undefined && rowValueMatches(readRaw(cell).raw, selector.value)) matching.push(i);
        }
        if (matching.length !== 1) {
          const rowProblem: RowLookupProblem = {
            problem: matching.length === 0 ? 'aucune_ligne' : 'plusieurs_lignes',
            block: selector.blockLabel,
            selector: selector.label,
            value: selector.value,
            rows: matching.map((i) => i + 1),
          };
          fields.set(spec.key, { ...absent(spec, resolved), rowProblem });
          continue;
        }
        const child = rows[matching[0]!]!.champs.find((c) => c.champDescriptorId === resolved.descriptorId);
        const r = child === undefined ? undefined : readRaw(child);
        fields.set(spec.key, new MappedField(spec, resolved, resolved.label, r ?? NOTHING, sourceOf(child, r)));
        continue;
      }
      // Every line of the block: the filled ones joined, typed readings from the first filled one.
      const children = rows.flatMap((row) => row.champs.filter((c) => c.champDescriptorId === resolved.descriptorId));
      const read = children.map(readRaw);
      const filled = read.filter((r) => r.filled);
      const i = Math.max(
        0,
        read.findIndex((r) => r.filled),
      );
      const content: FieldContent =
        filled.length === 0
          ? (read[0] ?? NOTHING)
          : {
              filled: true,
              raw: filled.map((r) => r.raw).join(' ; '),
              values: filled.flatMap((r) => r.values),
              files: filled.flatMap((r) => r.files),
            };
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
  const demandeur: Demandeur =
    dem.__typename === 'PersonnePhysique'
      ? {
          kind: 'personne_physique',
          nom: dem.nom,
          prenom: dem.prenom,
          dateNaissance: dem.dateDeNaissance ? parseCalendarDate(dem.dateDeNaissance) : null,
          email: dem.email,
          siret: null,
          raisonSociale: null,
        }
      : {
          kind: 'personne_morale',
          nom: null,
          prenom: null,
          dateNaissance: null,
          email: null,
          siret: dem.__typename === 'OtherDemandeur' ? null : dem.siret,
          raisonSociale: dem.__typename === 'PersonneMorale' ? (dem.entreprise?.raisonSociale ?? null) : null,
        };

  return {
    dossierNumber: d.number,
    dossierId: d.id,
    demarcheNumber: d.demarche.number,
    state: d.state,
    archived: d.archived,
    dateDepot: d.dateDepot,
    dateDerniereModification: d.dateDerniereModification,
    usagerEmail: d.usager.email,
    demandeur,
    groupe: { number: d.groupeInstructeur.number, label: d.groupeInstructeur.label },
    fields,
    champs,
  };
}

/** A field of the candidature; a key the programme does not know reads as absent. */
export function fieldOf(c: Candidature, key: string): FieldValue {
  return c.fields.get(key) ?? absent({ key, kind: 'text', label: key }, undefined);
}
