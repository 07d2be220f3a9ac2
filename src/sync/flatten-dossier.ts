import type { Insertable } from 'kysely';
import type { ChampNode, DossierNode, RowChampNode } from '../graphql/answers.ts';
import type { ChampTable, DossierLabelTable, FileTable, NewDossierRow } from '../db/tables/mirror.table.ts';

export type NewChampRow = Insertable<ChampTable>;
export type NewFileRow = Insertable<FileTable>;
export type NewLabelRow = Insertable<DossierLabelTable>;

/** A file to fetch: its mirror key plus the short-lived URL (never stored: it expires after 1 h). */
export interface FileToFetch {
  dossierNumber: number;
  champId: string;
  position: number;
  filename: string;
  checksum: string;
  byteSize: number;
  url: string;
}

/** Everything a dossier node becomes in the mirror. */
export interface FlatDossier {
  dossier: NewDossierRow;
  champs: NewChampRow[];
  files: NewFileRow[];
  labels: NewLabelRow[];
  fetches: FileToFetch[];
}

/**
 * The typed value of a champ as JSON-able data, as DS returns it (BigInt stays a string; file
 * lists keep their metadata but not their URL, which expires). `null` when the type has none.
 */
export function typedValue(champ: ChampNode | RowChampNode): unknown {
  switch (champ.__typename) {
    case 'TextChamp':
      return champ.textValue;
    case 'DateChamp':
      return champ.date;
    case 'DatetimeChamp':
      return champ.datetime;
    case 'CheckboxChamp':
      return champ.checked;
    case 'YesNoChamp':
      return champ.yesNo;
    case 'DropDownListChamp':
      return champ.choice;
    case 'MultipleDropDownListChamp':
      return champ.values;
    case 'LinkedDropDownListChamp':
      return { primary: champ.primaryValue, secondary: champ.secondaryValue };
    case 'IntegerNumberChamp':
      return champ.integerValue;
    case 'DecimalNumberChamp':
      return champ.decimalValue;
    case 'CiviliteChamp':
      return champ.civilite;
    case 'SiretChamp':
      return champ.etablissement;
    case 'AddressChamp':
      return champ.address;
    case 'CommuneChamp':
      return champ.commune === null ? null : { ...champ.commune, departement: champ.departement };
    case 'DepartementChamp':
      return champ.departement;
    case 'RegionChamp':
      return champ.region;
    case 'PaysChamp':
      return champ.pays;
    case 'PieceJustificativeChamp':
      return champ.files.map((f) => ({
        filename: f.filename,
        contentType: f.contentType,
        checksum: f.checksum,
        byteSize: Number(f.byteSizeBigInt),
      }));
    case 'RepetitionChamp':
    case 'DossierLinkChamp':
    case 'OtherChamp':
      return null;
  }
}

function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function demandeurColumns(
  d: DossierNode['demandeur'],
): Pick<NewDossierRow, 'demandeur_type' | 'demandeur_nom' | 'demandeur_prenom' | 'demandeur_siret'> {
  switch (d.__typename) {
    case 'PersonnePhysique':
      return { demandeur_type: d.__typename, demandeur_nom: d.nom, demandeur_prenom: d.prenom, demandeur_siret: null };
    case 'PersonneMorale':
      return {
        demandeur_type: d.__typename,
        demandeur_nom: d.entreprise?.raisonSociale ?? null,
        demandeur_prenom: null,
        demandeur_siret: d.siret,
      };
    case 'PersonneMoraleIncomplete':
      return { demandeur_type: d.__typename, demandeur_nom: null, demandeur_prenom: null, demandeur_siret: d.siret };
    case 'OtherDemandeur':
      return { demandeur_type: d.dsTypename, demandeur_nom: null, demandeur_prenom: null, demandeur_siret: null };
  }
}

/**
 * Flattens a validated dossier node into mirror rows: one dossier row (metadata + raw JSON),
 * one row per champ and annotation (repetition children carry their parent and row id), one row
 * per attached file, one per label. Pure: `syncedAt` is given.
 */
export function flattenDossier(node: DossierNode, demarcheNumber: number, syncedAt: string): FlatDossier {
  const champs: NewChampRow[] = [];
  const files: NewFileRow[] = [];
  const fetches: FileToFetch[] = [];
  let position = 0;

  const addChamp = (scope: 'champ' | 'annotation', champ: ChampNode | RowChampNode, parent: string | null, rowId: string | null): void => {
    champs.push({
      dossier_number: node.number,
      scope,
      position: position++,
      champ_id: champ.id,
      descriptor_id: champ.champDescriptorId,
      parent_descriptor_id: parent,
      row_id: rowId,
      label: champ.label,
      typename: champ.__typename === 'OtherChamp' ? champ.dsTypename : champ.__typename,
      string_value: champ.stringValue,
      typed_value: toJson(typedValue(champ)),
      updated_at: champ.updatedAt,
    });
    if (champ.__typename !== 'PieceJustificativeChamp') return;
    champ.files.forEach((file, index) => {
      const byteSize = Number(file.byteSizeBigInt);
      files.push({
        dossier_number: node.number,
        champ_id: champ.id,
        descriptor_id: champ.champDescriptorId,
        row_id: rowId,
        position: index,
        filename: file.filename,
        content_type: file.contentType,
        byte_size: byteSize,
        checksum: file.checksum,
        local_path: null,
        downloaded_at: null,
        download_error: null,
      });
      fetches.push({
        dossierNumber: node.number,
        champId: champ.id,
        position: index,
        filename: file.filename,
        checksum: file.checksum,
        byteSize,
        url: file.url,
      });
    });
  };

  for (const scope of ['champ', 'annotation'] as const) {
    for (const champ of scope === 'champ' ? node.champs : node.annotations) {
      addChamp(scope, champ, null, null);
      if (champ.__typename === 'RepetitionChamp') {
        for (const row of champ.rows) for (const child of row.champs) addChamp(scope, child, champ.champDescriptorId, row.id);
      }
    }
  }

  return {
    dossier: {
      number: node.number,
      id: node.id,
      demarche_number: demarcheNumber,
      revision_id: node.demarche.revision.id,
      state: node.state,
      archived: node.archived ? 1 : 0,
      date_depot: node.dateDepot,
      date_passage_en_instruction: node.datePassageEnInstruction,
      date_traitement: node.dateTraitement,
      date_derniere_modification: node.dateDerniereModification,
      date_derniere_modification_champs: node.dateDerniereModificationChamps,
      date_derniere_modification_annotations: node.dateDerniereModificationAnnotations,
      groupe_instructeur_id: node.groupeInstructeur.id,
      groupe_instructeur_label: node.groupeInstructeur.label,
      ...demandeurColumns(node.demandeur),
      usager_email: node.usager.email,
      motivation: node.motivation,
      raw_json: JSON.stringify(stripFileUrls(node)),
      synced_at: syncedAt,
    },
    champs,
    files,
    labels: node.labels.map((l) => ({ dossier_number: node.number, label_id: l.id, name: l.name })),
    fetches,
  };
}

/**
 * The node as stored: file URLs are signed and expire after 1 h, so keeping them would only
 * mislead readers of `raw_json` (and leak a bearer link into backups). The URL becomes "".
 */
export function stripFileUrls(node: DossierNode): DossierNode {
  const strip = <C extends ChampNode | RowChampNode>(champ: C): C => {
    if (champ.__typename === 'PieceJustificativeChamp') return { ...champ, files: champ.files.map((f) => ({ ...f, url: '' })) };
    if (champ.__typename === 'RepetitionChamp' && 'rows' in champ) {
      return { ...champ, rows: champ.rows.map((row) => ({ ...row, champs: row.champs.map(strip) })) };
    }
    return champ;
  };
  return { ...node, champs: node.champs.map(strip), annotations: node.annotations.map(strip) };
}

/** DS dates carry an offset (+01:00 / +02:00): compare instants, not strings. */
export function isOlder(candidate: string, stored: string): boolean {
  return Date.parse(candidate) < Date.parse(stored);
}
