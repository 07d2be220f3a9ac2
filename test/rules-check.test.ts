import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import type { Config } from '../src/config/file.schema.ts';
import { type Db, openDatabase } from '../src/db/database.ts';
import type { DialectName } from '../src/db/dialect.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';
import { checkDemarche, checkDemarches } from '../src/rules/check.ts';
import { RULE_PACK_VERSION } from '../src/rules/engine.ts';
import { flattenDossier } from '../src/sync/flatten-dossier.ts';
import type { DossierNode } from '../src/graphql/answers.ts';
import { type Champs, descriptorsOf, dossierNode, ON_TIME, piece, text, validAumg } from './rules-fixtures.ts';

const DEMARCHE = 12345;

/** Another candidate: different identity and RPPS, so not a duplicate. */
const other = (): Champs => ({ ...validAumg(), 'candidat.nom': text('Autre'), 'candidat.rpps': text('10123456781') });

let db: Db;
let config: Config;

async function seedForm(champs: Champs): Promise<void> {
  await db
    .insertInto('demarches')
    .values({
      number: DEMARCHE,
      id: 'RGVtYXJjaGU',
      title: 'AUMG',
      state: 'publiee',
      active_revision_id: 'rev1',
      fetched_at: '2025-04-01T00:00:00Z',
    })
    .execute();
  await db
    .insertInto('descriptors')
    .values(
      descriptorsOf(champs).map((d, position) => ({
        revision_id: 'rev1',
        id: d.id,
        scope: 'champ' as const,
        parent_id: null,
        position,
        typename: `${d.type}ChampDescriptor`,
        label: d.label,
        description: null,
        required: d.required ? 1 : 0,
        options_json: null,
      })),
    )
    .execute();
}

async function upsertDossier(number: number, champs: Champs, version: string, state = 'en_construction'): Promise<void> {
  const node = { ...dossierNode(champs, { number, state, dateDepot: ON_TIME.aumg }), dateDerniereModification: version };
  const row = {
    number,
    id: node.id,
    demarche_number: DEMARCHE,
    revision_id: 'rev1',
    state,
    date_depot: node.dateDepot,
    date_derniere_modification: version,
    date_derniere_modification_champs: version,
    date_derniere_modification_annotations: version,
    raw_json: JSON.stringify(node),
    synced_at: version,
  };
  await db
    .insertInto('dossiers')
    .values(row)
    .onConflict((oc) => oc.column('number').doUpdateSet(row))
    .execute();
  // The champs table as the sync writes it: check reads duplicate keys of unchanged dossiers there.
  const flat = flattenDossier(node as unknown as DossierNode, DEMARCHE, version);
  await db.deleteFrom('champs').where('dossier_number', '=', number).execute();
  if (flat.champs.length > 0) await db.insertInto('champs').values(flat.champs).execute();
}

const evaluation = (n: number) => db.selectFrom('evaluations').selectAll().where('dossier_number', '=', n).executeTakeFirst();
const findings = (n: number) => db.selectFrom('findings').selectAll().where('dossier_number', '=', n).orderBy('position').execute();

// Set by each dialect's describe block (its beforeAll runs before this file-wide beforeEach).
let dialect: DialectName = 'sqlite';
afterAll(dropTestDatabases);

beforeEach(async () => {
  db = await openDatabase(await freshTarget(dialect, 'ds-ars-check-'));
  const mapping = Object.fromEntries(Object.keys(validAumg()).map((k) => [k, k]));
  config = parseConfig(
    { demarches: [{ number: DEMARCHE, programme: 'aumg', session: { closingDate: '2025-04-30', startDates: ['2025-11-01'] }, mapping }] },
    'test',
  );
  await seedForm(validAumg());
});

afterEach(async () => {
  await db.destroy();
});

describe.each(dialects)('checkDemarche (%s)', (name) => {
  beforeAll(() => {
    dialect = name;
  });

  it('stores evaluations and findings with what they were computed on', async () => {
    await upsertDossier(1, validAumg(), '2025-04-02T10:00:00Z');
    await upsertDossier(2, { ...other(), 'piece.cv': piece([]) }, '2025-04-02T11:00:00Z');
    const result = await checkDemarche(db, config.demarches[0]!, { now: new Date('2025-04-03T00:00:00Z') });
    expect(result).toMatchObject({
      status: 'ok',
      dossiers: 2,
      written: 2,
      unchanged: 0,
      verdicts: { complet: 1, incomplet: 1, oui: 1, non: 1, a_verifier: 0 },
    });
    expect(result.rules['complet.piece_requise']).toEqual({ bloquant: 1, alerte: 0, info: 0 });
    expect(await evaluation(1)).toMatchObject({
      complet: 1,
      eligible: 'oui',
      dossier_version: '2025-04-02T10:00:00Z',
      evaluated_at: '2025-04-03T00:00:00.000Z',
    });
    const stored = await findings(2);
    expect(stored.map((f) => [f.rule_id, f.severity, f.champ_label])).toEqual([['complet.piece_requise', 'bloquant', 'Libellé piece.cv']]);
    expect(JSON.parse(stored[0]!.evidence_json)).toEqual([{ label: 'Libellé piece.cv', champId: 'piece.cv', value: null }]);
    expect(stored[0]!.rule_pack_version).toBe(RULE_PACK_VERSION);
  });

  it('rewrites only dossiers changed since their evaluation, and keeps first_seen_at', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await upsertDossier(2, { ...other(), 'piece.cv': piece([]) }, 'v1');
    await checkDemarche(db, config.demarches[0]!, { now: new Date('2025-04-03T00:00:00Z') });

    const again = await checkDemarche(db, config.demarches[0]!, { now: new Date('2025-04-04T00:00:00Z') });
    expect(again).toMatchObject({ written: 0, unchanged: 2 });

    await upsertDossier(2, { ...other(), 'piece.cv': piece([]), 'piece.projet': piece([]) }, 'v2');
    const third = await checkDemarche(db, config.demarches[0]!, { now: new Date('2025-04-05T00:00:00Z') });
    expect(third).toMatchObject({ written: 1, unchanged: 1 });
    const stored = await findings(2);
    expect(stored.map((f) => [f.champ_label, f.first_seen_at])).toEqual([
      ['Libellé piece.cv', '2025-04-03T00:00:00.000Z'],
      ['Libellé piece.projet', '2025-04-05T00:00:00.000Z'],
    ]);
    expect((await evaluation(1))?.evaluated_at).toBe('2025-04-03T00:00:00.000Z');
  });

  it('re-evaluates everything when the configuration changes, or with all', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await checkDemarche(db, config.demarches[0]!);
    const changed = { ...config.demarches[0]!, session: { ...config.demarches[0]!.session, closingDate: '2025-03-01' } };
    const result = await checkDemarche(db, changed);
    expect(result).toMatchObject({ written: 1, verdicts: { non: 1 } });
    expect((await findings(1)).map((f) => f.rule_id)).toEqual(['delai.depot']);
    expect(await checkDemarche(db, changed, { all: true })).toMatchObject({ written: 1 });
  });

  // docs/regles.md « Recontrôle » : a dossier checked under another version of the rules is checked again.
  it('re-evaluates an unchanged dossier checked under another rule pack version', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await upsertDossier(2, other(), 'v1');
    await checkDemarche(db, config.demarches[0]!, { now: new Date('2025-04-03T00:00:00Z') });
    await db.updateTable('evaluations').set({ rule_pack_version: 'une-version-precedente' }).where('dossier_number', '=', 2).execute();
    const result = await checkDemarche(db, config.demarches[0]!, { now: new Date('2025-04-04T00:00:00Z') });
    expect(result).toMatchObject({ written: 1, unchanged: 1 });
    expect(await evaluation(2)).toMatchObject({ rule_pack_version: RULE_PACK_VERSION, evaluated_at: '2025-04-04T00:00:00.000Z' });
    expect((await evaluation(1))?.evaluated_at).toBe('2025-04-03T00:00:00.000Z');
  });

  it('updates an unchanged dossier that became a duplicate of a new one', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await checkDemarche(db, config.demarches[0]!);
    await upsertDossier(2, validAumg(), 'v1');
    const result = await checkDemarche(db, config.demarches[0]!);
    expect(result).toMatchObject({ written: 2, verdicts: { a_verifier: 2 } });
    expect((await findings(1)).map((f) => f.rule_id)).toEqual(['doublon.candidat']);
  });

  it('clears the duplicate finding of an unchanged dossier when its partner is deleted', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await upsertDossier(2, validAumg(), 'v1');
    await checkDemarche(db, config.demarches[0]!);
    expect((await findings(1)).map((f) => f.rule_id)).toEqual(['doublon.candidat']);
    await db.updateTable('dossiers').set({ deleted_at: '2025-04-03T00:00:00Z' }).where('number', '=', 2).execute();
    const result = await checkDemarche(db, config.demarches[0]!);
    expect(result).toMatchObject({ dossiers: 1, written: 1, verdicts: { oui: 1, a_verifier: 0 } });
    expect(await findings(1)).toEqual([]);
  });

  it('carries on past an unreadable dossier and reports it', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await upsertDossier(2, validAumg(), 'v1');
    await db.updateTable('dossiers').set({ raw_json: '{"number": 2}' }).where('number', '=', 2).execute();
    const result = await checkDemarche(db, config.demarches[0]!);
    expect(result.status).toBe('partial');
    expect(result.unreadable.map((u) => u.dossier)).toEqual([2]);
    expect(result.written).toBe(1);
  });

  it('a label absent from the active form but present in an older revision: reported in French, and the check still runs', async () => {
    // Older dossiers may still follow a revision where the label existed (issue 13: only a key
    // absent from *every* revision is a configuration error).
    await db.insertInto('revisions').values({ id: 'rev0', demarche_number: DEMARCHE, fetched_at: '2025-03-01T00:00:00Z' }).execute();
    await db
      .insertInto('descriptors')
      .values({
        revision_id: 'rev0',
        id: 'old-nom',
        scope: 'champ',
        parent_id: null,
        position: 0,
        typename: 'TextChampDescriptor',
        label: 'Nom de famille',
        description: null,
        required: 1,
        options_json: null,
      })
      .execute();
    await upsertDossier(1, validAumg(), 'v1');
    const demarche = { ...config.demarches[0]!, mapping: { ...config.demarches[0]!.mapping, 'candidat.nom': { label: 'Nom de famille' } } };
    const result = await checkDemarche(db, demarche);
    expect(result.status).toBe('partial');
    expect(result.mappingProblems).toEqual(['mapping["candidat.nom"] : libellé « Nom de famille » introuvable dans le formulaire']);
    expect(result.rules['complet.champ_requis']).toBeUndefined();
    expect(result.unchecked.map((u) => u.ruleId)).toContain('complet.champ_requis');
  });

  it('reports a rule that cannot run for the whole démarche once, not as an info line per dossier', async () => {
    for (const n of [1, 2, 3]) await upsertDossier(n, { ...other(), 'candidat.nom': text(`Nom${n}`), 'candidat.rpps': text(null) }, 'v1');
    const mapping = { ...config.demarches[0]!.mapping };
    delete mapping['structure.zone'];
    const result = await checkDemarche(db, { ...config.demarches[0]!, mapping });
    expect(result.status).toBe('ok');
    expect(result.unchecked).toContainEqual({
      ruleId: 'elig.zone',
      title: 'Structure en zone sous-dense (ZIP, ZIP+, ZAC, QPV)',
      reasons: ['aucun champ « Zone sous-dense de la structure de soins » (structure.zone) dans la section mapping de la configuration'],
    });
    const stored = await db.selectFrom('findings').select(['rule_id', 'severity']).where('rule_id', '=', 'elig.zone').execute();
    expect(stored).toEqual([]);
    expect(result.rules['elig.zone']).toBeUndefined();
  });

  it('a label absent from every revision is a configuration error: nothing evaluated (issue 13, case 1)', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    const demarche = { ...config.demarches[0]!, mapping: { ...config.demarches[0]!.mapping, 'candidat.nom': { label: 'Nom de famille' } } };
    const result = await checkDemarche(db, demarche);
    expect(result.status).toBe('failed');
    expect(result.unreachableMapping.map((k) => k.field)).toEqual(['candidat.nom']);
    expect(result.error).toContain(
      'mapping["candidat.nom"] = libellé « Nom de famille » : ce champ n’existe dans aucune révision du formulaire',
    );
    expect(await evaluation(1)).toBeUndefined();
  });

  it('fails clearly when the démarche was never synchronised', async () => {
    const result = await checkDemarche(db, { ...config.demarches[0]!, number: 999 });
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/lancez d’abord « ds-ars sync --demarche 999 »/);
  });

  it('ignores deleted dossiers', async () => {
    await upsertDossier(1, validAumg(), 'v1');
    await upsertDossier(2, validAumg(), 'v1');
    await db.updateTable('dossiers').set({ deleted_at: '2025-04-02T00:00:00Z' }).where('number', '=', 2).execute();
    const [result] = await checkDemarches(db, config, undefined);
    expect(result).toMatchObject({ dossiers: 1, verdicts: { oui: 1 } });
  });
});
