/**
 * A mirror with dossiers of closed and open campaigns, old and recent, each with champs, a file on
 * disk, labels, findings, pushes, a journal entry and a plan item, for the purge tests.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openDatabase, type Db } from '../../src/db/database.ts';
import type { DialectName } from '../../src/db/dialect.ts';
import { createTestDatabase } from './postgres.ts';
import { tempDbPath } from './worker-steps.ts';

// Each dossier's person has their own name, to find in the raw database files after the purge.
export const nameOf = (dossier: number) => `Zoé Purgeable-${dossier}x`;

export interface Seeded {
  db: Db;
  path: string;
  filesDir: string;
  attachment: (dossier: number) => string;
  workbook: string;
}

export async function seedPurgeWorld(dialect: DialectName = 'sqlite'): Promise<Seeded> {
  const path = dialect === 'postgres' ? await createTestDatabase() : tempDbPath('ds-ars-purge-');
  const db = await openDatabase(path);
  // Files and workbooks live next to the SQLite file, or in a folder of their own.
  const dir = dialect === 'postgres' ? mkdtempSync(join(tmpdir(), 'ds-ars-purge-')) : dirname(path);
  const filesDir = join(dir, 'fichiers');
  const attachment = (dossier: number) => join(filesDir, String(dossier), 'ab', 'cv.pdf');
  const now = '2026-11-01T00:00:00Z';
  await db
    .insertInto('demarches')
    .values([
      { number: 201, id: 'D-201', title: 'AUMG vague 10', state: 'close', fetched_at: now },
      { number: 202, id: 'D-202', title: 'ASR permanente', state: 'publiee', fetched_at: now },
      { number: 203, id: 'D-203', title: 'ASP vague 5', state: 'publiee', date_fermeture: '2023-03-20T23:59:00+01:00', fetched_at: now },
    ])
    .execute();
  // number, démarche, state, last change, decided, deleted
  const dossiers: [number, number, string, string, string | null, string | null][] = [
    [1, 201, 'accepte', '2023-06-01T10:00:00+02:00', '2023-05-31T10:00:00+02:00', null], // closed campaign, old → purged
    [2, 201, 'en_instruction', '2023-04-01T10:00:00+02:00', null, null], // closed campaign, old, but never decided → kept (issue 13)
    [3, 201, 'accepte', '2025-06-01T10:00:00+02:00', '2023-05-31T10:00:00+02:00', null], // recent activity → kept
    [4, 202, 'refuse', '2023-09-01T10:00:00+02:00', '2023-09-01T10:00:00+02:00', null], // decided, old → purged
    [5, 202, 'en_construction', '2023-09-01T10:00:00+02:00', null, null], // open campaign, undecided → kept
    [6, 202, 'en_construction', '2023-01-01T10:00:00+01:00', null, '2023-02-01T10:00:00+01:00'], // deleted on DS → purged
    [7, 203, 'sans_suite', '2023-10-01T10:00:00+02:00', '2023-10-01T10:00:00+02:00', null], // closed by date → purged
    // Last activity 31 Dec 2024 23:30 in Paris is still 2024: before 2025-01-01 → purged.
    [8, 202, 'accepte', '2024-12-31T22:30:00Z', '2024-12-31T22:30:00Z', null],
    // 1 Jan 2025 00:10 in Paris (still 31 Dec in UTC): not before 2025-01-01 → kept.
    [9, 202, 'accepte', '2024-12-31T23:10:00Z', '2024-12-31T23:10:00Z', null],
  ];
  for (const [number, demarche, state, modified, decided, deleted] of dossiers) {
    await db
      .insertInto('dossiers')
      .values({
        number,
        id: `Dossier-${number}`,
        demarche_number: demarche,
        state,
        date_depot: '2023-01-01T10:00:00+01:00',
        date_traitement: decided,
        date_derniere_modification: modified,
        date_derniere_modification_champs: modified,
        date_derniere_modification_annotations: modified,
        demandeur_nom: nameOf(number),
        usager_email: 'zoe@example.org',
        motivation: decided ? `Motivation concernant ${nameOf(number)}` : null,
        raw_json: JSON.stringify({ demandeur: { nom: nameOf(number) } }),
        synced_at: now,
        deleted_at: deleted,
      })
      .execute();
    await db
      .insertInto('champs')
      .values({
        dossier_number: number,
        scope: 'champ',
        position: 0,
        champ_id: `c${number}`,
        descriptor_id: 'nom',
        label: 'Nom',
        typename: 'TextChamp',
        string_value: nameOf(number),
      })
      .execute();
    mkdirSync(dirname(attachment(number)), { recursive: true });
    writeFileSync(attachment(number), `CV de ${nameOf(number)}`);
    await db
      .insertInto('files')
      .values({
        dossier_number: number,
        champ_id: `p${number}`,
        descriptor_id: 'cv',
        position: 0,
        filename: `CV ${nameOf(number)}.pdf`,
        content_type: 'application/pdf',
        byte_size: 10,
        checksum: 'x',
        local_path: attachment(number),
      })
      .execute();
    await db.insertInto('dossier_labels').values({ dossier_number: number, label_id: 'L1', name: 'Complet' }).execute();
    await db
      .insertInto('evaluations')
      .values({
        dossier_number: number,
        demarche_number: demarche,
        rule_pack_version: '1',
        config_hash: 'h',
        dossier_version: modified,
        evaluated_at: now,
        complet: 1,
        eligible: 'oui',
      })
      .execute();
    await db
      .insertInto('findings')
      .values({
        dossier_number: number,
        demarche_number: demarche,
        position: 0,
        rule_id: 'id.rpps',
        severity: 'alerte',
        message: 'Clé RPPS invalide',
        champ_label: 'Nom',
        champ_value: nameOf(number),
        rule_pack_version: '1',
        config_hash: 'h',
        dossier_version: modified,
        first_seen_at: now,
      })
      .execute();
    await db
      .insertInto('annotation_pushes')
      .values({
        dossier_number: number,
        annotation_id: 'A1',
        value_json: JSON.stringify({ text: `Synthèse ${nameOf(number)}` }),
        pushed_at: now,
      })
      .execute();
    await db
      .insertInto('mutation_journal')
      .values({
        idempotency_key: `refuser:${number}`,
        run_id: 'run-1',
        operation: 'refuser',
        demarche_number: demarche,
        dossier_number: number,
        dossier_id: `Dossier-${number}`,
        instructeur_id: 'Instructeur-9',
        payload_json: JSON.stringify({
          dossierId: `Dossier-${number}`,
          instructeurId: 'Instructeur-9',
          motivation: `Refus : ${nameOf(number)} hors délai`,
          disableNotification: false,
        }),
        reason: `Décision du jury pour ${nameOf(number)}`,
        status: 'sent',
        created_at: '2023-05-31T10:00:00+02:00',
        sent_at: '2023-05-31T10:00:01+02:00',
        finished_at: '2023-05-31T10:00:02+02:00',
        result_json: JSON.stringify({ dossier: { id: `Dossier-${number}`, state: 'refuse', motivation: `Refus : ${nameOf(number)}` } }),
        error_message: number === 4 ? `Erreur pour ${nameOf(number)}` : null,
      })
      .execute();
  }
  await db
    .insertInto('plans')
    .values({
      kind: 'decisions',
      demarche_number: 202,
      created_at: now,
      source: 'jury.xlsx',
      items_json: JSON.stringify([
        {
          operation: 'refuser',
          dossierNumber: 4,
          dossierId: 'Dossier-4',
          reason: `Jury : ${nameOf(4)}`,
          payload: { motivation: `Refus ${nameOf(4)}` },
        },
        {
          operation: 'accepter',
          dossierNumber: 5,
          dossierId: 'Dossier-5',
          reason: 'Jury : Autre Personne',
          payload: { motivation: 'Bravo Autre Personne' },
        },
      ]),
    })
    .execute();
  const workbook = join(dir, 'rapports', 'jury-203.xlsx');
  mkdirSync(dirname(workbook), { recursive: true });
  writeFileSync(workbook, `classeur ${nameOf(7)}`);
  await db
    .insertInto('workbooks')
    .values({ id: 'wb-203', demarche_number: 203, path: workbook, created_at: '2023-04-01T10:00:00Z', dossiers: 1 })
    .execute();
  return { db, path, filesDir, attachment, workbook };
}

export const PURGED = [1, 4, 6, 7, 8];
export const KEPT = [2, 3, 5, 9];
