import type { Generated, Insertable, Selectable } from 'kysely';

/** 0/1 in SQLite. */
export type Flag = number;

export interface DemarcheTable {
  number: number;
  id: string;
  title: string;
  state: string;
  active_revision_id: string | null;
  date_creation: string | null;
  date_derniere_modification: string | null;
  date_fermeture: string | null;
  labels_json: Generated<string>;
  fetched_at: string;
}

export interface RevisionTable {
  id: string;
  demarche_number: number;
  date_creation: string | null;
  date_publication: string | null;
  fetched_at: string;
}

export interface DescriptorTable {
  revision_id: string;
  id: string;
  scope: 'champ' | 'annotation';
  parent_id: string | null;
  position: number;
  typename: string;
  label: string;
  description: string | null;
  required: Flag;
  options_json: string | null;
}

export interface GroupeInstructeurTable {
  id: string;
  demarche_number: number;
  number: number;
  label: string;
  closed: Flag;
}

export interface InstructeurTable {
  groupe_id: string;
  id: string;
  email: string;
}

export interface DossierTable {
  number: number;
  id: string;
  demarche_number: number;
  revision_id: string | null;
  state: string;
  archived: Generated<Flag>;
  date_depot: string;
  date_passage_en_instruction: string | null;
  date_traitement: string | null;
  date_derniere_modification: string;
  date_derniere_modification_champs: string;
  date_derniere_modification_annotations: string;
  groupe_instructeur_id: string | null;
  groupe_instructeur_label: string | null;
  demandeur_type: string | null;
  demandeur_nom: string | null;
  demandeur_prenom: string | null;
  demandeur_siret: string | null;
  usager_email: string | null;
  motivation: string | null;
  /** The DS node as validated at the boundary (DossierFieldsFragment), JSON. */
  raw_json: string;
  synced_at: string;
  deleted_at: string | null;
  deleted_reason: string | null;
  pending_deletion: Generated<Flag>;
}

export interface ChampTable {
  dossier_number: number;
  scope: 'champ' | 'annotation';
  position: number;
  champ_id: string;
  descriptor_id: string;
  parent_descriptor_id: string | null;
  row_id: string | null;
  label: string;
  typename: string;
  string_value: string | null;
  /** JSON of the typed value (string, number, boolean, list, object). */
  typed_value: string | null;
  updated_at: string | null;
}

export interface FileTable {
  dossier_number: number;
  champ_id: string;
  descriptor_id: string;
  row_id: string | null;
  position: number;
  filename: string;
  content_type: string;
  byte_size: number;
  checksum: string;
  local_path: string | null;
  downloaded_at: string | null;
  download_error: string | null;
}

export interface DossierLabelTable {
  dossier_number: number;
  label_id: string;
  name: string;
}

export interface SyncStateTable {
  demarche_number: number;
  updated_since: string;
  cursor: string | null;
  cursor_at: string | null;
  deleted_cursor: string | null;
  pending_deleted_cursor: string | null;
  labels_synced_at: string | null;
  revision_id: string | null;
  last_run_id: number | null;
  last_success_at: string | null;
  last_error: string | null;
}

export interface SyncRunTable {
  id: Generated<number>;
  demarche_number: number;
  mode: 'full' | 'incremental';
  status: 'running' | 'ok' | 'partial' | 'failed' | 'interrupted';
  started_at: string;
  ended_at: string | null;
  pages: Generated<number>;
  upserted: Generated<number>;
  deleted: Generated<number>;
  labels_changed: Generated<number>;
  files_downloaded: Generated<number>;
  files_failed: Generated<number>;
  requests: Generated<number>;
  retries: Generated<number>;
  errors: Generated<number>;
  error_message: string | null;
}

export type DossierRow = Selectable<DossierTable>;
export type NewDossierRow = Insertable<DossierTable>;
export type ChampRow = Selectable<ChampTable>;
export type FileRow = Selectable<FileTable>;
export type DescriptorRow = Selectable<DescriptorTable>;
export type SyncStateRow = Selectable<SyncStateTable>;
export type SyncRunRow = Selectable<SyncRunTable>;

/** A dossier removed by `ds-ars purge`: never re-imported by the sync (nothing personal kept). */
export interface PurgedDossierTable {
  number: number;
  demarche_number: number;
  state: string;
  date_traitement: string | null;
  purged_at: string;
}

export interface MirrorTables {
  demarches: DemarcheTable;
  revisions: RevisionTable;
  descriptors: DescriptorTable;
  groupes_instructeurs: GroupeInstructeurTable;
  instructeurs: InstructeurTable;
  dossiers: DossierTable;
  champs: ChampTable;
  files: FileTable;
  dossier_labels: DossierLabelTable;
  sync_state: SyncStateTable;
  sync_runs: SyncRunTable;
  purged_dossiers: PurgedDossierTable;
}
