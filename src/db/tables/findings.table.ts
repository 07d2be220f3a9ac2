import type { Generated } from 'kysely';

export interface EvaluationTable {
  dossier_number: number;
  demarche_number: number;
  rule_pack_version: string;
  config_hash: string;
  /** dateDerniereModification of the dossier the evaluation was computed on. */
  dossier_version: string;
  evaluated_at: string;
  complet: number;
  eligible: 'oui' | 'non' | 'a_verifier';
  bloquants: Generated<number>;
  alertes: Generated<number>;
  infos: Generated<number>;
  summary: Generated<string>;
  /** JSON [rpps, identity] duplicate keys of the evaluated dossier; null when not recorded. */
  candidate_keys: string | null;
}

export interface FindingTable {
  id: Generated<number>;
  dossier_number: number;
  demarche_number: number;
  position: number;
  rule_id: string;
  severity: 'bloquant' | 'alerte' | 'info';
  message: string;
  champ_label: string | null;
  champ_value: string | null;
  evidence_json: Generated<string>;
  rule_pack_version: string;
  config_hash: string;
  dossier_version: string;
  first_seen_at: string;
}

export interface FindingsTables {
  evaluations: EvaluationTable;
  findings: FindingTable;
}
