import type { Db } from '../db/database.ts';
import type { ProgrammeId } from '../domain/programmes/index.ts';
import type { EligibleVerdict } from '../shared/french-format.ts';

/** Session figures the reports use (a subset of the démarche's configuration). */
export interface ReportSession {
  monthlyAmountEur?: number | undefined;
  months?: number | undefined;
  envelopeEur?: number | undefined;
}

/** What a report needs to know about a configured démarche. */
export interface ReportDemarche {
  number: number;
  programme: ProgrammeId;
  libelle?: string | undefined;
  session?: ReportSession | undefined;
  /** Semantic field key → DS champ (or annotation) descriptor id. */
  mapping: Readonly<Record<string, string>>;
  /** « Contrôles non effectués » for the whole démarche, one French line each (rule, why). */
  unchecked?: readonly string[] | undefined;
  /** « Paramètres de la session » the rules used: [what, value] in French. */
  sessionParameters?: ReadonlyArray<readonly [string, string]> | undefined;
}

/** A champ as the mirror holds it: DS's display string and the typed value as JSON text. */
export interface RawFieldValue {
  stringValue: string | null;
  /** Parsed on demand (`typedValue()`): most cells only need the display string. */
  typedJson: string | null;
}

/** The typed value of a champ (string, number, boolean, list, object), or the raw text if not JSON. */
export function typedValue(raw: RawFieldValue): unknown {
  if (raw.typedJson === null) return null;
  try {
    return JSON.parse(raw.typedJson) as unknown;
  } catch {
    return raw.typedJson;
  }
}

export interface EvaluationSummary {
  complet: boolean;
  eligible: EligibleVerdict;
  bloquants: number;
  alertes: number;
  summary: string;
}

export interface DossierReportRow {
  number: number;
  id: string;
  state: string;
  dateDepot: string;
  datePassageEnInstruction: string | null;
  dateTraitement: string | null;
  /** The dossier's version for the jury: annotation writes by this tool do not move it. */
  dateDerniereModificationChamps: string;
  groupe: string | null;
  demandeurNom: string | null;
  demandeurPrenom: string | null;
  /** Mapped semantic fields that have a champ in this dossier. */
  fields: ReadonlyMap<string, RawFieldValue>;
  evaluation: EvaluationSummary | null;
}

export interface FindingReportRow {
  dossierNumber: number;
  ruleId: string;
  severity: 'bloquant' | 'alerte' | 'info';
  message: string;
  champLabel: string | null;
  champValue: string | null;
  firstSeenAt: string;
}

export interface ReportData {
  demarche: ReportDemarche;
  /** Title of the démarche in DS, when the mirror has it. */
  title: string | null;
  /** Live dossiers (deleted ones excluded), by number. */
  dossiers: DossierReportRow[];
  /** Findings of the live dossiers, by dossier then position. */
  findings: FindingReportRow[];
}

/** Reads the mirror, evaluations and findings of one démarche into plain rows. */
export async function loadReportData(db: Db, demarche: ReportDemarche): Promise<ReportData> {
  const demarcheRow = await db.selectFrom('demarches').select('title').where('number', '=', demarche.number).executeTakeFirst();

  const dossierRows = await db
    .selectFrom('dossiers as d')
    .leftJoin('evaluations as e', 'e.dossier_number', 'd.number')
    .select([
      'd.number',
      'd.id',
      'd.state',
      'd.date_depot',
      'd.date_passage_en_instruction',
      'd.date_traitement',
      'd.date_derniere_modification_champs',
      'd.groupe_instructeur_label',
      'd.demandeur_nom',
      'd.demandeur_prenom',
      'e.complet',
      'e.eligible',
      'e.bloquants',
      'e.alertes',
      'e.summary',
    ])
    .where('d.demarche_number', '=', demarche.number)
    .where('d.deleted_at', 'is', null)
    .orderBy('d.number')
    .execute();

  // One descriptor may serve several semantic keys (e.g. a single "Spécialité" champ).
  const keysByDescriptor = new Map<string, string[]>();
  for (const [key, descriptorId] of Object.entries(demarche.mapping)) {
    keysByDescriptor.set(descriptorId, [...(keysByDescriptor.get(descriptorId) ?? []), key]);
  }
  const live = new Set(dossierRows.map((d) => d.number));
  const fieldsByDossier = new Map<number, Map<string, RawFieldValue>>();
  if (keysByDescriptor.size > 0) {
    // Through the démarche's dossiers (champs_dossier_idx): cloned démarches share descriptor
    // ids, and other démarches' champs are never read.
    const champRows = await db
      .selectFrom('champs')
      .select(['dossier_number', 'descriptor_id', 'position', 'string_value', 'typed_value'])
      .where('dossier_number', 'in', (eb) =>
        eb.selectFrom('dossiers').select('number').where('demarche_number', '=', demarche.number).where('deleted_at', 'is', null),
      )
      .where('descriptor_id', 'in', [...keysByDescriptor.keys()])
      .where('row_id', 'is', null)
      .execute();
    champRows.sort((a, b) => a.position - b.position);
    for (const champ of champRows) {
      if (!live.has(champ.dossier_number)) continue;
      let fields = fieldsByDossier.get(champ.dossier_number);
      if (!fields) fieldsByDossier.set(champ.dossier_number, (fields = new Map()));
      const value: RawFieldValue = { stringValue: champ.string_value, typedJson: champ.typed_value };
      for (const key of keysByDescriptor.get(champ.descriptor_id) ?? []) if (!fields.has(key)) fields.set(key, value);
    }
  }

  const dossiers: DossierReportRow[] = dossierRows.map((row) => ({
    number: row.number,
    id: row.id,
    state: row.state,
    dateDepot: row.date_depot,
    datePassageEnInstruction: row.date_passage_en_instruction,
    dateTraitement: row.date_traitement,
    dateDerniereModificationChamps: row.date_derniere_modification_champs,
    groupe: row.groupe_instructeur_label,
    demandeurNom: row.demandeur_nom,
    demandeurPrenom: row.demandeur_prenom,
    fields: fieldsByDossier.get(row.number) ?? new Map(),
    evaluation:
      row.complet === null || row.eligible === null
        ? null
        : {
            complet: row.complet === 1,
            eligible: row.eligible,
            bloquants: row.bloquants ?? 0,
            alertes: row.alertes ?? 0,
            summary: row.summary ?? '',
          },
  }));

  const findings = (
    await db
      .selectFrom('findings')
      .select(['dossier_number', 'rule_id', 'severity', 'message', 'champ_label', 'champ_value', 'first_seen_at'])
      .where('demarche_number', '=', demarche.number)
      .orderBy('dossier_number')
      .orderBy('position')
      .execute()
  ).filter((f) => live.has(f.dossier_number));

  return {
    demarche,
    title: demarcheRow?.title ?? null,
    dossiers,
    findings: findings.map((f) => ({
      dossierNumber: f.dossier_number,
      ruleId: f.rule_id,
      severity: f.severity,
      message: f.message,
      champLabel: f.champ_label,
      champValue: f.champ_value,
      firstSeenAt: f.first_seen_at,
    })),
  };
}
