import type { Db } from '../src/db/database.ts';
import type { ReportDemarche } from '../src/reports/report-data.ts';

/** Descriptor ids of the synthetic AUMG form used by the report tests and the bench. */
export const AUMG_MAPPING = {
  'universite.nom': 'Q2hhbXAtMQ==',
  'structure.nom': 'Q2hhbXAtMg==',
  'structure.zone': 'Q2hhbXAtMw==',
  'candidat.nom': 'Q2hhbXAtNA==',
  'candidat.prenom': 'Q2hhbXAtNQ==',
  'candidat.date_naissance': 'Q2hhbXAtNg==',
  'candidat.specialite_des': 'Q2hhbXAtNw==',
  'candidat.date_fin_internat': 'Q2hhbXAtOA==',
  ordre_priorite: 'QW5ub3RhdGlvbi0x',
} as const;

export function aumgDemarche(
  number: number,
  session: ReportDemarche['session'] = { monthlyAmountEur: 2000, months: 24, envelopeEur: 480_000 },
): ReportDemarche {
  return { number, programme: 'aumg', libelle: 'AUMG vague 12 (2025-2027)', session, mapping: AUMG_MAPPING };
}

export interface SeedFinding {
  ruleId: string;
  severity: 'bloquant' | 'alerte' | 'info';
  message: string;
  champLabel?: string;
  champValue?: string;
  firstSeenAt?: string;
}

export interface SeedDossier {
  number: number;
  state?: string;
  nom?: string;
  prenom?: string;
  universite?: string;
  structure?: string;
  zone?: string;
  specialite?: string;
  dateFinInternat?: string;
  ordre?: number;
  groupe?: string;
  dateDepot?: string;
  champsModifiedAt?: string;
  deletedAt?: string;
  evaluation?: { complet: boolean; eligible: 'oui' | 'non' | 'a_verifier'; summary?: string } | null;
  findings?: SeedFinding[];
}

export async function seedDemarche(db: Db, number: number, title = 'ARSIF - Appel à candidatures AUMG'): Promise<void> {
  await db
    .insertInto('demarches')
    .values({ number, id: `RGVtYXJjaGUt${number}`, title, state: 'publiee', fetched_at: '2026-11-26T02:00:00.000Z' })
    .onConflict((oc) => oc.column('number').doNothing())
    .execute();
}

/** Inserts dossiers, their mapped champs, evaluations and findings, as sync and check would. */
export async function seedDossiers(db: Db, demarcheNumber: number, dossiers: readonly SeedDossier[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const d of dossiers) {
      const dateDepot = d.dateDepot ?? '2025-04-10T08:30:00.000Z';
      const modified = d.champsModifiedAt ?? '2025-04-12T10:00:00.000Z';
      await trx
        .insertInto('dossiers')
        .values({
          number: d.number,
          id: `RG9zc2llci0${d.number}`,
          demarche_number: demarcheNumber,
          state: d.state ?? 'en_instruction',
          date_depot: dateDepot,
          date_passage_en_instruction: d.state === 'en_construction' ? null : '2025-05-02T07:00:00.000Z',
          date_traitement: ['accepte', 'refuse', 'sans_suite'].includes(d.state ?? '') ? '2025-06-20T13:00:00.000Z' : null,
          date_derniere_modification: '2026-11-26T01:00:00.000Z',
          date_derniere_modification_champs: modified,
          date_derniere_modification_annotations: '2026-11-26T01:00:00.000Z',
          groupe_instructeur_label: d.groupe ?? 'Paris',
          demandeur_type: 'PersonneMorale',
          demandeur_nom: 'Université Paris Cité',
          // The parts of the stored DS node that readers of the mirror use (state guard, decisions' facts).
          raw_json: JSON.stringify({
            __typename: 'Dossier',
            id: `RG9zc2llci0${d.number}`,
            number: d.number,
            state: d.state ?? 'en_instruction',
            dateDerniereModification: '2026-11-26T01:00:00.000Z',
            dateDerniereModificationChamps: modified,
            dateDerniereModificationAnnotations: '2026-11-26T01:00:00.000Z',
            groupeInstructeur: { id: 'R3JvdXBlSW5zdHJ1Y3RldXItMQ==', label: d.groupe ?? 'Paris' },
            annotations: [],
            messages: [],
          }),
          synced_at: '2026-11-26T02:00:00.000Z',
          deleted_at: d.deletedAt ?? null,
        })
        .execute();
      const champs: Array<[keyof typeof AUMG_MAPPING, string | undefined, unknown]> = [
        ['universite.nom', d.universite, d.universite],
        ['structure.nom', d.structure, d.structure],
        ['structure.zone', d.zone, d.zone],
        ['candidat.nom', d.nom, d.nom],
        ['candidat.prenom', d.prenom, d.prenom],
        ['candidat.date_naissance', '1 mars 1994', '1994-03-01'],
        ['candidat.specialite_des', d.specialite, d.specialite],
        [
          'candidat.date_fin_internat',
          d.dateFinInternat === undefined ? undefined : d.dateFinInternat.split('-').reverse().join('/'),
          d.dateFinInternat,
        ],
        ['ordre_priorite', d.ordre === undefined ? undefined : String(d.ordre), d.ordre === undefined ? undefined : String(d.ordre)],
      ];
      const rows = champs
        .filter(([, text]) => text !== undefined)
        .map(([key, text, typed], position) => ({
          dossier_number: d.number,
          scope: key === 'ordre_priorite' ? ('annotation' as const) : ('champ' as const),
          position,
          champ_id: `${AUMG_MAPPING[key]}|${d.number}`,
          descriptor_id: AUMG_MAPPING[key],
          label: key,
          typename: key === 'ordre_priorite' ? 'IntegerNumberChamp' : key.includes('date') ? 'DateChamp' : 'TextChamp',
          string_value: text ?? null,
          typed_value: JSON.stringify(typed),
        }));
      if (rows.length > 0) await trx.insertInto('champs').values(rows).execute();
      const evaluation = d.evaluation === undefined ? { complet: true, eligible: 'oui' as const } : d.evaluation;
      const findings = d.findings ?? [];
      if (evaluation) {
        await trx
          .insertInto('evaluations')
          .values({
            dossier_number: d.number,
            demarche_number: demarcheNumber,
            rule_pack_version: 'test',
            config_hash: 'test',
            dossier_version: '2026-11-26T01:00:00.000Z',
            evaluated_at: '2026-11-26T02:05:00.000Z',
            complet: evaluation.complet ? 1 : 0,
            eligible: evaluation.eligible,
            bloquants: findings.filter((f) => f.severity === 'bloquant').length,
            alertes: findings.filter((f) => f.severity === 'alerte').length,
            summary: evaluation.summary ?? '',
          })
          .execute();
      }
      if (findings.length > 0) {
        await trx
          .insertInto('findings')
          .values(
            findings.map((f, position) => ({
              dossier_number: d.number,
              demarche_number: demarcheNumber,
              position,
              rule_id: f.ruleId,
              severity: f.severity,
              message: f.message,
              champ_label: f.champLabel ?? null,
              champ_value: f.champValue ?? null,
              rule_pack_version: 'test',
              config_hash: 'test',
              dossier_version: '2026-11-26T01:00:00.000Z',
              first_seen_at: f.firstSeenAt ?? '2026-11-26T02:05:00.000Z',
            })),
          )
          .execute();
      }
    }
  });
}
