/** The analysts' views: same names and columns on both dialects, live dossiers only, no personal data. */
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

afterAll(dropTestDatabases);

const dossier = (number: number, extra: Record<string, unknown> = {}) => ({
  number,
  id: `D-${number}`,
  demarche_number: 7,
  state: 'en_instruction',
  date_depot: '2026-01-02T10:00:00Z',
  date_derniere_modification: '2026-01-03T10:00:00Z',
  date_derniere_modification_champs: '2026-01-03T10:00:00Z',
  date_derniere_modification_annotations: '2026-01-03T10:00:00Z',
  demandeur_nom: 'Dupont',
  usager_email: 'dupont@example.org',
  raw_json: '{}',
  synced_at: '2026-01-04T00:00:00Z',
  ...extra,
});

describe.each(dialects)('analyst views (%s)', (dialect) => {
  it('list live dossiers with their verdict, findings and journal steps, without names or e-mails', async () => {
    const db = await openDatabase(await freshTarget(dialect));
    try {
      await db
        .insertInto('dossiers')
        .values([dossier(1), dossier(2, { deleted_at: '2026-01-05T00:00:00Z', deleted_reason: 'expired' }), dossier(3)])
        .execute();
      await db
        .insertInto('evaluations')
        .values({
          dossier_number: 1,
          demarche_number: 7,
          rule_pack_version: 'p1',
          config_hash: 'h',
          dossier_version: 'v',
          evaluated_at: '2026-01-04T01:00:00Z',
          complet: 1,
          eligible: 'oui',
          candidate_keys: null,
        })
        .execute();
      await db
        .insertInto('findings')
        .values({
          dossier_number: 3,
          demarche_number: 7,
          position: 0,
          rule_id: 'complet.champ_requis',
          severity: 'bloquant',
          message: 'Champ manquant',
          champ_value: 'secret',
          rule_pack_version: 'p1',
          config_hash: 'h',
          dossier_version: 'v',
          first_seen_at: '2026-01-04T01:00:00Z',
        })
        .execute();
      await db
        .insertInto('mutation_journal')
        .values({
          idempotency_key: 'k',
          run_id: 'r',
          operation: 'accepter',
          demarche_number: 7,
          dossier_number: 1,
          dossier_id: 'D-1',
          payload_json: '{"motivation":"privé"}',
          status: 'sent',
          created_at: '2026-01-05T00:00:00Z',
        })
        .execute();

      const dossiers = (await sql<Record<string, unknown>>`select * from analyse_dossiers order by dossier`.execute(db)).rows;
      expect(dossiers.map((r) => [r['dossier'], r['etat'], r['eligible'], r['complet']])).toEqual([
        [1, 'en_instruction', 'oui', 1],
        [3, 'en_instruction', null, null],
      ]);
      expect(Object.keys(dossiers[0]!)).toEqual([
        'dossier',
        'demarche',
        'etat',
        'archive',
        'date_depot',
        'date_passage_en_instruction',
        'date_traitement',
        'date_derniere_modification',
        'groupe_instructeur',
        'complet',
        'eligible',
        'bloquants',
        'alertes',
        'infos',
        'evalue_le',
        'version_regles',
      ]);
      const constats = (await sql<Record<string, unknown>>`select * from analyse_constats`.execute(db)).rows;
      expect(constats).toEqual([
        {
          dossier: 3,
          demarche: 7,
          position: 0,
          regle: 'complet.champ_requis',
          gravite: 'bloquant',
          message: 'Champ manquant',
          vu_depuis: '2026-01-04T01:00:00Z',
          version_dossier: 'v',
          version_regles: 'p1',
        },
      ]);
      const decisions = (await sql<Record<string, unknown>>`select * from analyse_decisions`.execute(db)).rows;
      expect(decisions).toEqual([
        {
          dossier: 1,
          demarche: 7,
          operation: 'accepter',
          statut: 'sent',
          cree_le: '2026-01-05T00:00:00Z',
          envoye_le: null,
          termine_le: null,
          tentatives: 0,
          plan: null,
        },
      ]);
      expect(JSON.stringify([dossiers, constats, decisions])).not.toMatch(/Dupont|example\.org|secret|privé/);
    } finally {
      await db.destroy();
    }
  });
});
