/**
 * Full then incremental sync of 1,050 dossiers against the simulator over HTTP, into a real
 * SQLite file: the mirror must equal what DS serves, field by field, and an incremental run
 * must bring exactly the changes, with a bounded number of requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/database.ts';
import { GetDossiersDocument, type GetDossiersQuery } from '../src/generated/graphql.ts';
import type { Answer, DsClient } from '../src/graphql/client.ts';
import {
  getChamps,
  getDescriptors,
  getDossierLabels,
  getDossierNode,
  listFiles,
  listLiveDossiers,
  findInstructeurByEmail,
} from '../src/mirror/mirror.repository.ts';
import type { DossierNode } from '../src/graphql/answers.ts';
import { runSync } from '../src/sync/sync-runner.ts';
import { getSyncState, listRuns } from '../src/sync/sync-state.repository.ts';
import { operationsSince, startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';
import { dialects } from './support/postgres.ts';

const TYPED_FIELD: Record<string, string> = {
  TextChamp: 'textValue',
  DateChamp: 'date',
  DatetimeChamp: 'datetime',
  CheckboxChamp: 'checked',
  YesNoChamp: 'yesNo',
  DropDownListChamp: 'choice',
  MultipleDropDownListChamp: 'values',
  IntegerNumberChamp: 'integerValue',
  DecimalNumberChamp: 'decimalValue',
  CiviliteChamp: 'civilite',
  AddressChamp: 'address',
  DepartementChamp: 'departement',
  SiretChamp: 'etablissement',
};

/** Every dossier as DS serves it right now, read directly (depose order, no cursor state). */
async function readAllFromDs(client: DsClient, demarche: number): Promise<Map<number, DossierNode>> {
  const out = new Map<number, DossierNode>();
  let after: string | null = null;
  for (;;) {
    const data: Answer<GetDossiersQuery> = await client.request(GetDossiersDocument, { number: demarche, first: 100, after });
    const connection = data.demarche.dossiers;
    for (const node of connection.nodes ?? []) if (node) out.set(node.number, node);
    if (!connection.pageInfo.hasNextPage || connection.pageInfo.endCursor === null) return out;
    after = connection.pageInfo.endCursor;
  }
}

const withoutUrls = (node: DossierNode): unknown => JSON.parse(JSON.stringify(node), (key, value: unknown) => (key === 'url' ? '' : value));

type Flat = {
  scope: string;
  champ_id: string;
  descriptor_id: string;
  parent_descriptor_id: string | null;
  row_id: string | null;
  typename: string;
  string_value: string | null;
  typed: unknown;
};

function expectedChamps(node: DossierNode): Flat[] {
  const out: Flat[] = [];
  const typed = (c: object): unknown => {
    const record = c as Record<string, unknown>;
    const field = TYPED_FIELD[record['__typename'] as string];
    return field === undefined ? undefined : (record[field] ?? null);
  };
  for (const [scope, list] of [
    ['champ', node.champs],
    ['annotation', node.annotations],
  ] as const) {
    for (const c of list) {
      out.push({
        scope,
        champ_id: c.id,
        descriptor_id: c.champDescriptorId,
        parent_descriptor_id: null,
        row_id: null,
        typename: c.__typename,
        string_value: c.stringValue,
        typed: typed(c),
      });
      if (c.__typename === 'RepetitionChamp') {
        for (const row of c.rows) {
          for (const child of row.champs) {
            out.push({
              scope,
              champ_id: child.id,
              descriptor_id: child.champDescriptorId,
              parent_descriptor_id: c.champDescriptorId,
              row_id: row.id,
              typename: child.__typename,
              string_value: child.stringValue,
              typed: typed(child),
            });
          }
        }
      }
    }
  }
  return out;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) out.set(key(row), [...(out.get(key(row)) ?? []), row]);
  return out;
}

/** The mirror against a fresh GraphQL read and the simulator's own state (bulk reads: fast). */
async function expectMirrorEqualsDs(fx: SyncFixture, db: Db, client: DsClient): Promise<void> {
  const served = await readAllFromDs(client, fx.demarche);
  const live = await listLiveDossiers(db, fx.demarche);
  const numbers = live.map((d) => d.number);
  expect(numbers).toEqual([...served.keys()].sort((a, b) => a - b));
  expect(numbers).toEqual(visibleNumbers(fx.sim, fx.demarche));
  const champsBy = groupBy(
    await db
      .selectFrom('champs')
      .selectAll()
      .where('dossier_number', 'in', numbers)
      .orderBy('dossier_number')
      .orderBy('position')
      .execute(),
    (c) => c.dossier_number,
  );
  const filesBy = groupBy(
    await db.selectFrom('files').selectAll().where('dossier_number', 'in', numbers).execute(),
    (f) => f.dossier_number,
  );
  const labelsBy = groupBy(
    await db.selectFrom('dossier_labels').selectAll().where('dossier_number', 'in', numbers).execute(),
    (l) => l.dossier_number,
  );
  const fileKey = (f: { descriptor: string; name: string }) => `${f.descriptor}|${f.name}`;
  let filesSeen = 0;
  for (const row of live) {
    const node = served.get(row.number)!;
    expect(withoutUrls(JSON.parse(row.raw_json) as DossierNode)).toEqual(withoutUrls(node));
    expect({
      state: row.state,
      modified: row.date_derniere_modification,
      groupe: row.groupe_instructeur_id,
      usager: row.usager_email,
    }).toEqual({
      state: node.state,
      modified: node.dateDerniereModification,
      groupe: node.groupeInstructeur.id,
      usager: node.usager.email,
    });
    const champs = (champsBy.get(row.number) ?? []).map((c) => {
      const flat: Flat = {
        scope: c.scope,
        champ_id: c.champ_id,
        descriptor_id: c.descriptor_id,
        parent_descriptor_id: c.parent_descriptor_id,
        row_id: c.row_id,
        typename: c.typename,
        string_value: c.string_value,
        typed: undefined,
      };
      if (TYPED_FIELD[c.typename] !== undefined) flat.typed = c.typed_value === null ? null : JSON.parse(c.typed_value);
      return flat;
    });
    expect(champs).toEqual(expectedChamps(node));
    const expectedFiles = node.champs
      .flatMap((c) =>
        c.__typename === 'PieceJustificativeChamp'
          ? c.files.map((f) => ({
              descriptor: c.champDescriptorId,
              name: f.filename,
              checksum: f.checksum,
              size: Number(f.byteSizeBigInt),
              type: f.contentType,
            }))
          : [],
      )
      .sort((a, b) => fileKey(a).localeCompare(fileKey(b)));
    const files = (filesBy.get(row.number) ?? [])
      .filter((f) => f.row_id === null)
      .map((f) => ({ descriptor: f.descriptor_id, name: f.filename, checksum: f.checksum, size: f.byte_size, type: f.content_type }))
      .sort((a, b) => fileKey(a).localeCompare(fileKey(b)));
    expect(files).toEqual(expectedFiles);
    filesSeen += files.length;
    // And against the simulator's own state, not only its GraphQL view.
    const truth = fx.sim.store.getDossier(row.number);
    expect(row.state).toBe(truth.state);
    // DS shows dates to the second.
    expect(Date.parse(row.date_derniere_modification)).toBe(Math.floor(truth.dateDerniereModification.getTime() / 1000) * 1000);
    expect((labelsBy.get(row.number) ?? []).map((l) => l.name).sort()).toEqual([...truth.labels].sort());
    expect(files.map(fileKey).sort()).toEqual(truth.files.map((f) => `${f.champDescriptorId}|${f.filename}`).sort());
  }
  expect(filesSeen).toBeGreaterThan(0);
  // The repository's per-dossier readers return the same, on a sample.
  for (const number of numbers.filter((_, i) => i % 100 === 0)) {
    expect(withoutUrls((await getDossierNode(db, number))!)).toEqual(withoutUrls(served.get(number)!));
    expect((await getChamps(db, number)).map((c) => c.champ_id)).toEqual(expectedChamps(served.get(number)!).map((c) => c.champ_id));
    expect((await listFiles(db, number)).length).toBe((filesBy.get(number) ?? []).length);
    expect((await getDossierLabels(db, number)).length).toBe((labelsBy.get(number) ?? []).length);
  }
}

// A large integration test: generous time limits for a loaded 2-core machine.
describe.each(dialects)('sync of 1,050 dossiers (%s)', { timeout: 240_000 }, (dialect) => {
  let fx: SyncFixture;
  let db: Db;
  let client: DsClient;

  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 11, programmes: ['aumg'], dossiers: { aumg: 1_050 } }, dialect);
    db = await fx.openDb();
    client = fx.client();
  });
  afterAll(async () => fx?.close());

  it('mirrors every visible dossier, champs, files and labels included, in ⌈N/100⌉ pages', async () => {
    const visible = visibleNumbers(fx.sim, fx.demarche);
    expect(visible).toHaveLength(1_050);
    const before = { ...fx.sim.stats.byOperation };
    const report = await runSync({ db, client }, { demarches: [fx.demarche] });
    expect(report.status).toBe('ok');
    const [result] = report.results;
    // Labels come with each dossier: a full run needs no separate labels pass.
    expect(result).toMatchObject({ mode: 'full', status: 'ok', upserted: 1_050, pages: 11, labelsPass: false, revisionChanged: true });
    expect(operationsSince(fx.sim, before)).toEqual({
      GetDemarche: 1,
      GetDossiers: 11,
      GetDeletedDossiers: 1,
      GetPendingDeletedDossiers: 1,
    });

    await expectMirrorEqualsDs(fx, db, fx.client());
    const descriptors = await getDescriptors(db, fx.demarche);
    expect(descriptors.length).toBeGreaterThan(10);
    const email = fx.sim.demarches[0]!.instructeurEmails[0]!;
    expect((await findInstructeurByEmail(db, fx.demarche, email.toUpperCase()))?.email).toBe(email);
    const state = await getSyncState(db, fx.demarche);
    expect(state?.cursor).not.toBeNull();
    expect(state?.updated_since).toBe('2000-01-01T00:00:00Z');
    expect(state?.labels_synced_at).not.toBeNull();
  });

  it('an incremental run without changes costs 4 requests and writes nothing', async () => {
    const cursor = (await getSyncState(db, fx.demarche))?.cursor;
    const before = { ...fx.sim.stats.byOperation };
    const report = await runSync({ db, client }, { demarches: [fx.demarche] });
    expect(report.results[0]).toMatchObject({ mode: 'incremental', status: 'ok', upserted: 0, labelsPass: false });
    // Attempts minus retries (an idle keep-alive socket closed by the server costs one retry).
    expect(report.results[0]!.requests - report.results[0]!.retries).toBe(4);
    expect(operationsSince(fx.sim, before)).toEqual({
      GetDemarche: 1,
      GetDossiers: 1,
      GetDeletedDossiers: 1,
      GetPendingDeletedDossiers: 1,
    });
    // The empty last page must not erase the cursor.
    expect((await getSyncState(db, fx.demarche))?.cursor).toBe(cursor);
  });

  it('brings exactly 37 edits, 5 deletions, 2 pending deletions and 3 label changes', async () => {
    const visible = visibleNumbers(fx.sim, fx.demarche);
    const edited = visible.filter((_, i) => i % 25 === 3).slice(0, 37);
    const deleted = visible.filter((_, i) => i % 25 === 7).slice(0, 5);
    const pending = visible.filter((_, i) => i % 25 === 9).slice(0, 2);
    const labelled = visible.filter((_, i) => i % 25 === 11).slice(0, 3);
    expect(edited).toHaveLength(37);
    for (const n of edited) fx.sim.store.editDossier(n);
    for (const n of deleted) fx.sim.store.deleteDossier(n, 'user_request');
    for (const n of pending) fx.sim.store.markPendingDeletion(n, 'expired');
    fx.sim.store.addLabel(labelled[0]!, 'Urgent');
    fx.sim.store.addLabel(labelled[1]!, 'À relancer');
    const third = fx.sim.store.getDossier(labelled[2]!);
    if (third.labels.length > 0) fx.sim.store.removeLabel(labelled[2]!, third.labels[0]!);
    else fx.sim.store.addLabel(labelled[2]!, 'Complet');

    const syncedBefore = new Map(
      (await db.selectFrom('dossiers').select(['number', 'synced_at']).execute()).map((r) => [r.number, r.synced_at]),
    );
    const before = { ...fx.sim.stats.byOperation };
    const report = await runSync({ db, client }, { demarches: [fx.demarche], labels: true });
    const [result] = report.results;
    expect(result).toMatchObject({
      status: 'ok',
      upserted: 37,
      deleted: 5,
      pendingDeleted: 2,
      labelsPass: true,
      labelsChanged: 3,
      pages: 1,
    });
    // No re-read: 1 page of dossiers, plus one labels pass over the 1,043 still visible.
    expect(operationsSince(fx.sim, before)).toEqual({
      GetDemarche: 1,
      GetDossiers: 1,
      GetDeletedDossiers: 1,
      GetPendingDeletedDossiers: 1,
      GetDossierLabels: 11,
    });
    expect(result!.requests - result!.retries).toBe(15);

    const rewritten = (await db.selectFrom('dossiers').select(['number', 'synced_at']).execute())
      .filter((r) => r.synced_at !== syncedBefore.get(r.number))
      .map((r) => r.number);
    expect(rewritten.sort((a, b) => a - b)).toEqual(edited);
    const marked = await db
      .selectFrom('dossiers')
      .select(['number', 'deleted_at', 'deleted_reason', 'pending_deletion'])
      .where((eb) => eb.or([eb('deleted_at', 'is not', null), eb('pending_deletion', '=', 1)]))
      .orderBy('number')
      .execute();
    expect(marked.filter((r) => r.deleted_at !== null).map((r) => [r.number, r.deleted_reason])).toEqual(
      deleted.map((n) => [n, 'user_request']),
    );
    expect(marked.filter((r) => r.pending_deletion === 1).map((r) => [r.number, r.deleted_reason])).toEqual(
      pending.map((n) => [n, 'expired']),
    );
    // Deleted dossiers are kept, with their champs.
    expect((await getChamps(db, deleted[0]!)).length).toBeGreaterThan(0);
    await expectMirrorEqualsDs(fx, db, fx.client());

    const runs = await listRuns(db, fx.demarche);
    expect(runs[0]).toMatchObject({ status: 'ok', mode: 'incremental', pages: 1, upserted: 37, deleted: 7, labels_changed: 3 });
  });
});
