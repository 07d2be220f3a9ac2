/**
 * Issue #13, cases 3 to 7, on the decisions path: simulator over HTTP, real SQLite file, real
 * workbooks, and real child processes for the plan/apply agreement.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDecisions } from '../src/decisions/apply-decisions.ts';
import { loadDecisions } from '../src/decisions/load-decisions.ts';
import { DossierAccepterDocument, GetDossierDocument } from '../src/generated/graphql.ts';
import { dialects } from './support/postgres.ts';
import { createWorld, fillWorkbook, mutationsFor, requestCorrection, type DecisionsWorld } from './support/decisions-fixture.ts';

async function resultRows(path: string): Promise<Map<number, { outcome: string; detail: string; controle: string }>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const sheet = workbook.getWorksheet('Résultats')!;
  const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
  const col = (name: string) => headers.indexOf(name);
  const rows = new Map<number, { outcome: string; detail: string; controle: string }>();
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.set(Number(row.getCell(col('N° dossier')).value), {
      outcome: String(row.getCell(col('Résultat')).value),
      detail: String(row.getCell(col('Détail')).value ?? ''),
      controle: String(row.getCell(col('Contrôle')).value ?? ''),
    });
  });
  return rows;
}

/** Stores a check result the way `ds-ars check` does: at the dossier's mirrored version. */
async function storeCheck(
  world: DecisionsWorld,
  number: number,
  check: { complet: boolean; eligible: 'oui' | 'non' | 'a_verifier'; bloquants?: string[] },
) {
  const row = await world.db
    .selectFrom('dossiers')
    .select(['date_derniere_modification', 'demarche_number'])
    .where('number', '=', number)
    .executeTakeFirstOrThrow();
  const findings = check.bloquants ?? [];
  await world.db
    .insertInto('evaluations')
    .values({
      dossier_number: number,
      demarche_number: row.demarche_number,
      rule_pack_version: 'test',
      config_hash: 'test',
      dossier_version: row.date_derniere_modification,
      evaluated_at: new Date().toISOString(),
      complet: check.complet ? 1 : 0,
      eligible: check.eligible,
      bloquants: findings.length,
    })
    .execute();
  for (const [position, message] of findings.entries()) {
    await world.db
      .insertInto('findings')
      .values({
        dossier_number: number,
        demarche_number: row.demarche_number,
        position,
        rule_id: 'complet.piece_requise',
        severity: 'bloquant',
        message,
        champ_label: null,
        champ_value: null,
        rule_pack_version: 'test',
        config_hash: 'test',
        dossier_version: row.date_derniere_modification,
        first_seen_at: new Date().toISOString(),
      })
      .execute();
  }
}

describe.each(dialects)('decisions rails (issue #13) (%s)', (dialect) => {
  let world: DecisionsWorld;
  let report: string;
  const ctx = () => ({ db: world.db, client: world.client, config: world.config });
  const load = (path: string, options: { acceptContraryToCheck?: boolean } = {}) =>
    loadDecisions(world.db, world.config, { path, ignoreChanges: false, ...options });

  beforeAll(async () => {
    world = await createWorld({ seed: 13, dialect });
    report = await world.report();
  });
  afterAll(async () => world?.close());

  it('case 3: an acceptance against the check is blocked unless forced; a refusal of an eligible dossier only warns', async () => {
    const [against, forced, byFlag, refusedOk] = await world.take('en_instruction', 4);
    for (const n of [against!, forced!, byFlag!])
      await storeCheck(world, n, { complet: false, eligible: 'non', bloquants: ['Pièce requise absente : Curriculum vitae'] });
    await storeCheck(world, refusedOk!, { complet: true, eligible: 'oui' });
    const file = await fillWorkbook(report, join(world.dir, 'rails-controle.xlsx'), [
      { dossier: against!, decision: 'Accepter' },
      { dossier: forced!, decision: 'Accepter', forcer: 'Oui' },
      { dossier: byFlag!, decision: 'Accepter' },
      { dossier: refusedOk!, decision: 'Refuser', motivation: 'Projet hors priorités régionales.' },
    ]);

    const plan = (await load(file)).plan;
    const line = (n: number) => plan.lines.find((l) => l.dossierNumber === n)!;
    expect(line(against!).status).toBe('bloque');
    expect(line(against!).messages.join('\n')).toMatch(
      /décision contraire au contrôle : dossier incomplet, non éligible \(Pièce requise absente : Curriculum vitae\) ; .*« Forcer ».*--accepter-contre-controle/,
    );
    expect(line(forced!)).toMatchObject({ status: 'a_faire', operations: ['accepter'] });
    expect(line(forced!).messages.join('\n')).toMatch(/décision contraire au contrôle : .*\(forcée : cellule « Forcer »\)/);
    expect(line(refusedOk!)).toMatchObject({ status: 'a_faire', operations: ['refuser'] });
    expect(line(refusedOk!).contraryToCheck).toMatch(/^décision contraire au contrôle : dossier complet et éligible/);

    // --accepter-contre-controle lets every such acceptance through, still flagged.
    const flagged = (await load(file, { acceptContraryToCheck: true })).plan.lines.find((l) => l.dossierNumber === byFlag)!;
    expect(flagged.status).toBe('a_faire');
    expect(flagged.messages.join('\n')).toMatch(/forcée : --accepter-contre-controle/);

    const result = await applyDecisions(ctx(), await load(file), { apply: true });
    expect(mutationsFor(world, [against!, byFlag!])).toHaveLength(0);
    expect(world.sim.store.getDossier(against!).state).toBe('en_instruction');
    expect(world.sim.store.getDossier(forced!).state).toBe('accepte');
    expect(world.sim.store.getDossier(refusedOk!).state).toBe('refuse');
    const rows = await resultRows(result.resultPath!);
    expect(rows.get(against!)).toMatchObject({ outcome: 'Bloqué' });
    expect(rows.get(against!)?.controle).toMatch(/^décision contraire au contrôle : dossier incomplet/);
    expect(rows.get(forced!)).toMatchObject({ outcome: 'Appliqué' });
    expect(rows.get(forced!)?.controle).toMatch(/^décision contraire au contrôle/);
    expect(rows.get(refusedOk!)?.controle).toMatch(/^décision contraire au contrôle : dossier complet et éligible/);
  });

  it('case 4: a formula in Décision or Motivation is a row error naming the cell; nothing of the row is sent', async () => {
    const [plus, link, plain] = await world.take('en_instruction', 3);
    const file = await fillWorkbook(report, join(world.dir, 'rails-formules.xlsx'), [
      { dossier: plus!, decision: 'Refuser', motivation: { formula: '1+1', result: 2 } },
      {
        dossier: link!,
        decision: 'Refuser',
        motivation: { formula: 'HYPERLINK("https://exemple.test/motif","Cliquez ici")', result: 'Cliquez ici' },
      },
      { dossier: plain!, decision: 'Refuser', motivation: 'Projet incomplet.' },
    ]);
    const loaded = await load(file);
    const line = (n: number) => loaded.plan.lines.find((l) => l.dossierNumber === n)!;
    for (const n of [plus!, link!]) {
      expect(line(n)).toMatchObject({ status: 'erreur', operations: [] });
      expect(line(n).messages[0]).toMatch(
        new RegExp(`colonne « Motivation » \\(J\\) : la cellule J${line(n).rowNumber} contient une formule`),
      );
    }
    expect(line(plus!).messages[0]).toContain('(=1+1)');
    expect(line(link!).messages[0]).toContain('=HYPERLINK(');
    // The plan shows what the cell holds, not the result the jury never typed.
    expect(line(plus!).motivation).toBe('=1+1');
    expect(line(link!).motivation).toMatch(/^=HYPERLINK\(/);
    const result = await applyDecisions(ctx(), loaded, { apply: true });
    expect(mutationsFor(world, [plus!, link!])).toHaveLength(0);
    expect(world.sim.store.getDossier(plus!).state).toBe('en_instruction');
    expect(world.sim.store.getDossier(plain!)).toMatchObject({ state: 'refuse', motivation: 'Projet incomplet.' });
    expect(result.counts.erreur).toBe(2);
  });

  it('case 5: plan and apply (dry run), as child processes, say the same thing after an apply not yet re-synced', async () => {
    const [sentBefore, fresh] = await world.take('en_instruction', 2);
    const file = await fillWorkbook(report, join(world.dir, 'rails-accord.xlsx'), [
      { dossier: sentBefore!, decision: 'Accepter' },
      { dossier: fresh!, decision: 'Accepter' },
    ]);
    // A first run accepted one dossier; the mirror has not been re-synced since.
    const firstFile = await fillWorkbook(report, join(world.dir, 'rails-accord-1.xlsx'), [{ dossier: sentBefore!, decision: 'Accepter' }]);
    await applyDecisions(ctx(), await load(firstFile), { apply: true });
    expect(world.sim.store.getDossier(sentBefore!).state).toBe('accepte');

    const configPath = join(world.dir, 'rails.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        demarches: world.config.demarches.map((d) => ({
          number: d.number,
          programme: d.programme,
          instructeurEmail: d.instructeurEmail,
          session: { closingDate: d.session.closingDate },
        })),
      }),
    );
    const env = {
      ...process.env,
      DS_API_URL: world.sim.graphqlUrl,
      DS_API_TOKEN: world.sim.tokens.readWrite,
      DS_ARS_DB: world.dbPath,
      DS_ARS_CONFIG: configPath,
      DS_ARS_LOG_LEVEL: 'silent',
    };
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/ds-ars.js', ...args], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const [plan, dry] = await Promise.all([cli('decisions', 'plan', file, '--json'), cli('decisions', 'apply', file, '--json')]);
    const planned = JSON.parse(plan.out) as { lines: Array<{ dossierNumber: number; status: string }> };
    const simulated = JSON.parse(dry.out) as { results: Array<{ dossier: number; resultat: string }> };
    const planStatus = (n: number) => planned.lines.find((l) => l.dossierNumber === n)?.status;
    const dryOutcome = (n: number) => simulated.results.find((r) => r.dossier === n)?.resultat;
    expect(planStatus(sentBefore!)).toBe('deja_fait');
    expect(dryOutcome(sentBefore!)).toBe('deja_fait');
    expect(planStatus(fresh!)).toBe('a_faire');
    expect(dryOutcome(fresh!)).toBe('simulation');
    expect(plan.code).toBe(0);
    expect(dry.code).toBe(0);
  }, 60_000);

  it('case 6: a dossier edited in DS after the report is not decided; the other lines go on', async () => {
    const [edited, untouched] = await world.take('en_instruction', 2);
    const file = await fillWorkbook(report, join(world.dir, 'rails-perime.xlsx'), [
      { dossier: edited!, decision: 'Accepter' },
      { dossier: untouched!, decision: 'Accepter' },
    ]);
    const loaded = await load(file);
    expect(loaded.plan.lines.find((l) => l.dossierNumber === edited)?.status).toBe('a_faire');
    // The candidate changes an answer in DS; no sync since: the mirror is stale.
    const before = (await world.client.request(GetDossierDocument, { number: edited! })).dossier.dateDerniereModificationChamps;
    world.sim.store.editDossier(edited!);
    const after = (await world.client.request(GetDossierDocument, { number: edited! })).dossier.dateDerniereModificationChamps;
    expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));

    const result = await applyDecisions(ctx(), loaded, { apply: true });
    const line = result.results.find((r) => r.line.dossierNumber === edited)!;
    expect(line.outcome).toBe('bloque');
    expect(line.detail).toMatch(
      /modifié dans DS depuis le contrôle du \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} : resynchronisez, relancez le contrôle et revoyez la décision/,
    );
    expect(mutationsFor(world, [edited!])).toHaveLength(0);
    expect(world.sim.store.getDossier(edited!).state).toBe('en_instruction');
    expect(world.sim.store.getDossier(untouched!).state).toBe('accepte');
  });
});

describe.each(dialects)('decisions DS would refuse (issue #13, case 7) (%s)', (dialect) => {
  let world: DecisionsWorld;
  let report: string;
  const REQUIRED = "Commentaire de l'instructeur (réservé à l'ARS)";
  const ctx = () => ({ db: world.db, client: world.client, config: world.config });
  const load = (path: string) => loadDecisions(world.db, world.config, { path, ignoreChanges: false });

  beforeAll(async () => {
    world = await createWorld({ seed: 17, requiredAnnotations: ['a_commentaire'], dialect });
  });
  afterAll(async () => world?.close());

  async function annotationId(label: string): Promise<string> {
    const row = await world.db
      .selectFrom('descriptors')
      .select('id')
      .where('scope', '=', 'annotation')
      .where('label', '=', label)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('the simulator refuses a decision while a required annotation is empty, with DS’s misleading message', async () => {
    const [dossier] = await world.take('en_instruction', 1);
    const snapshot = world.sim.store.getDossier(dossier!);
    const instructeur = await world.db
      .selectFrom('instructeurs')
      .innerJoin('groupes_instructeurs', 'groupes_instructeurs.id', 'instructeurs.groupe_id')
      .select('instructeurs.id')
      .where('groupes_instructeurs.label', '=', snapshot.groupe)
      .where('groupes_instructeurs.demarche_number', '=', snapshot.demarcheNumber)
      .executeTakeFirstOrThrow();
    const accept = () => world.client.mutate(DossierAccepterDocument, { input: { dossierId: snapshot.id, instructeurId: instructeur.id } });
    const refused = await accept();
    expect(refused.dossierAccepter?.errors?.map((e) => e.message)).toEqual(['Le dossier est déjà en instruction']);
    expect(world.sim.store.getDossier(dossier!).state).toBe('en_instruction');
    world.sim.store.editAnnotation(dossier!, 'a_commentaire', 'Vu en commission.');
    const accepted = await accept();
    expect(accepted.dossierAccepter?.errors ?? []).toEqual([]);
    expect(world.sim.store.getDossier(dossier!).state).toBe('accepte');
  });

  it('flags an empty required annotation and a pending correction in the plan; nothing is sent for them', async () => {
    const [empty, filled] = await world.take('en_instruction', 2);
    const [correction] = await world.take('en_construction', 1);
    world.sim.store.editAnnotation(filled!, 'a_commentaire', 'Avis favorable du coordonnateur.');
    await requestCorrection(world, correction!);
    await world.sync();
    report = await world.report();
    const file = await fillWorkbook(report, join(world.dir, 'rails-ds-refus.xlsx'), [
      { dossier: empty!, decision: 'Accepter' },
      { dossier: filled!, decision: 'Accepter' },
      { dossier: correction!, decision: 'Accepter' },
    ]);
    const loaded = await load(file);
    const line = (n: number) => loaded.plan.lines.find((l) => l.dossierNumber === n)!;
    expect(line(empty!).status).toBe('bloque');
    expect(line(empty!).messages.join('\n')).toContain(`annotation obligatoire vide : « ${REQUIRED} »`);
    expect(line(correction!).status).toBe('bloque');
    expect(line(correction!).messages.join('\n')).toContain('en attente de correction');
    expect(line(filled!).status).toBe('a_faire');

    await applyDecisions(ctx(), loaded, { apply: true });
    expect(mutationsFor(world, [empty!, correction!]).filter((m) => m.operation !== 'dossierEnvoyerMessage')).toHaveLength(0);
    expect(world.sim.store.getDossier(filled!).state).toBe('accepte');
  });

  it('translates DS’s « Le dossier est déjà en instruction » into the true cause when it comes anyway', async () => {
    const [dossier] = await world.take('en_instruction', 1);
    // The mirror was synced before the form made the annotation required: the plan cannot know.
    await world.db
      .updateTable('descriptors')
      .set({ required: 0 })
      .where('id', '=', await annotationId(REQUIRED))
      .execute();
    try {
      report = await world.report();
      const file = await fillWorkbook(report, join(world.dir, 'rails-ds-message.xlsx'), [{ dossier: dossier!, decision: 'Accepter' }]);
      const loaded = await load(file);
      expect(loaded.plan.lines.find((l) => l.dossierNumber === dossier)?.status).toBe('a_faire');
      const result = await applyDecisions(ctx(), loaded, { apply: true });
      const line = result.results.find((r) => r.line.dossierNumber === dossier)!;
      expect(line.outcome).toBe('echec');
      expect(line.detail).toMatch(
        /DS a répondu « Le dossier est déjà en instruction », mais la vraie cause est : une annotation privée obligatoire est vide ou invalide/,
      );
    } finally {
      await world.db
        .updateTable('descriptors')
        .set({ required: 1 })
        .where('id', '=', await annotationId(REQUIRED))
        .execute();
    }
  });
});
