import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import { applyDecisions } from '../src/decisions/apply-decisions.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient } from '../src/graphql/client.ts';
import { loadDecisions } from '../src/decisions/load-decisions.ts';
import { createWorld, fillWorkbook, mutationsFor, requestCorrection, type DecisionsWorld } from './support/decisions-fixture.ts';
import { dialects } from './support/postgres.ts';

let world: DecisionsWorld;

const load = (path: string, ignoreChanges = false) => loadDecisions(world.db, world.config, { path, ignoreChanges });
const ctx = () => ({ db: world.db, client: world.client, config: world.config });

async function resultRows(path: string): Promise<Map<number, { outcome: string; detail: string }>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const rows = new Map<number, { outcome: string; detail: string }>();
  workbook.getWorksheet('Résultats')!.eachRow((row, n) => {
    if (n === 1) return;
    rows.set(Number(row.getCell(2).value), { outcome: String(row.getCell(7).value), detail: String(row.getCell(8).value ?? '') });
  });
  return rows;
}

describe.each(dialects)('decisions: report → fill → plan → apply (%s)', (dialect) => {
  beforeAll(async () => {
    world = await createWorld({ dialect });
  });

  afterAll(async () => {
    await world?.close();
  });

  it('applies each decision with its own motivation, passing en instruction first when needed', async () => {
    const [c1, c2] = await world.take('en_construction', 2);
    const [i1, i2] = await world.take('en_instruction', 2);
    const report = await world.report();
    const file = await fillWorkbook(report, join(world.dir, 'jury-1.xlsx'), [
      { dossier: c1!, decision: 'Refuser', motivation: 'Structure hors zone prioritaire.' },
      { dossier: c2!, decision: 'ACCEPTÉ' },
      { dossier: i1!, decision: 'Classer sans suite', motivation: 'Désistement du candidat.' },
      { dossier: i2!, decision: 'Accepter', motivation: 'Projet solide.' },
    ]);

    const loaded = await load(file);
    const line = (n: number) => loaded.plan.lines.find((l) => l.dossierNumber === n)!;
    expect(line(c1!)).toMatchObject({ status: 'a_faire', currentState: 'en_construction', operations: ['passerEnInstruction', 'refuser'] });
    expect(line(c2!)).toMatchObject({ status: 'a_faire', decision: 'accepter', operations: ['passerEnInstruction', 'accepter'] });
    expect(line(i1!)).toMatchObject({ status: 'a_faire', operations: ['classerSansSuite'] });
    expect(line(i2!)).toMatchObject({ status: 'a_faire', operations: ['accepter'] });
    expect(loaded.plan.items).toHaveLength(6);

    // Dry run: nothing reaches DS.
    const before = world.sim.stats.mutations.length;
    const dry = await applyDecisions(ctx(), loaded, { apply: false });
    expect(world.sim.stats.mutations.length).toBe(before);
    expect(dry.resultPath).toBeNull();
    expect(
      dry.results
        .filter((r) => r.outcome === 'simulation')
        .map((r) => r.line.dossierNumber)
        .sort(),
    ).toEqual([c1, c2, i1, i2].sort());

    const report1 = await applyDecisions(ctx(), loaded, { apply: true, outputDir: join(world.dir, 'resultats') });
    expect(report1.ok).toBe(true);
    expect(report1.counts.applique).toBe(4);

    expect(world.sim.store.getDossier(c1!)).toMatchObject({ state: 'refuse', motivation: 'Structure hors zone prioritaire.' });
    expect(world.sim.store.getDossier(c2!)).toMatchObject({ state: 'accepte', motivation: null });
    expect(world.sim.store.getDossier(i1!)).toMatchObject({ state: 'sans_suite', motivation: 'Désistement du candidat.' });
    expect(world.sim.store.getDossier(i2!)).toMatchObject({ state: 'accepte', motivation: 'Projet solide.' });
    const sent = mutationsFor(world, [c1!, c2!, i1!, i2!]);
    expect(sent.map((m) => `${m.dossierNumber}:${m.operation}`).sort()).toEqual(
      [
        `${c1}:dossierPasserEnInstruction`,
        `${c1}:dossierRefuser`,
        `${c2}:dossierPasserEnInstruction`,
        `${c2}:dossierAccepter`,
        `${i1}:dossierClasserSansSuite`,
        `${i2}:dossierAccepter`,
      ].sort(),
    );
    expect(sent.every((m) => m.ok)).toBe(true);

    // The result workbook: private, next to the asked folder, one row per jury row.
    expect(report1.resultPath).toMatch(/resultats\/jury-1-resultat-.*\.xlsx$/);
    expect(statSync(report1.resultPath!).mode & 0o777).toBe(0o600);
    const rows = await resultRows(report1.resultPath!);
    expect(rows.get(c1!)?.outcome).toBe('Appliqué');
    expect(rows.get(i2!)?.outcome).toBe('Appliqué');

    // Rerun of the same file, mirror not re-synced: the journal and the guard send nothing.
    const again = await applyDecisions(ctx(), await load(file), { apply: true });
    expect(mutationsFor(world, [c1!, c2!, i1!, i2!])).toHaveLength(6);
    expect(again.ok).toBe(true);
    expect(again.counts.deja_fait).toBe(4);

    // And after a sync, the plan itself sees them done.
    await world.sync();
    const replanned = await load(file);
    expect(replanned.plan.items).toHaveLength(0);
    expect(replanned.plan.lines.filter((l) => l.status === 'deja_fait')).toHaveLength(4);
  });

  it('continues after a crash without sending any mutation twice', async () => {
    const construction = await world.take('en_construction', 3);
    const instruction = await world.take('en_instruction', 3);
    const dossiers = [...construction, ...instruction];
    const report = await world.report();
    const file = await fillWorkbook(
      report,
      join(world.dir, 'jury-crash.xlsx'),
      dossiers.map((dossier, i) =>
        i % 2 === 0 ? { dossier, decision: 'Refuser', motivation: `Motif ${i}` } : { dossier, decision: 'Accepter' },
      ),
    );
    const expected = 3 * 2 + 3;

    // Crash right after DS answered the 4th mutation, before the journal recorded it.
    const crash = new Error('simulated crash');
    await expect(
      applyDecisions(
        {
          ...ctx(),
          hooks: {
            afterSend: ({ sentCount }) => {
              if (sentCount === 4) throw crash;
            },
          },
        },
        await load(file),
        { apply: true },
      ),
    ).rejects.toBe(crash);
    expect(mutationsFor(world, dossiers)).toHaveLength(4);

    const resumed = await applyDecisions(ctx(), await load(file), { apply: true });
    expect(resumed.ok).toBe(true);
    const sent = mutationsFor(world, dossiers);
    expect(sent).toHaveLength(expected);
    expect(new Set(sent.map((m) => m.clientMutationId)).size).toBe(expected);
    expect(sent.every((m) => m.ok)).toBe(true);
    dossiers.forEach((n, i) => {
      expect(world.sim.store.getDossier(n)).toMatchObject(
        i % 2 === 0 ? { state: 'refuse', motivation: `Motif ${i}` } : { state: 'accepte' },
      );
    });
  });

  it('stops on abort and a rerun finishes the rest', async () => {
    const dossiers = await world.take('en_instruction', 4);
    const file = await fillWorkbook(
      await world.report(),
      join(world.dir, 'jury-abort.xlsx'),
      dossiers.map((dossier) => ({ dossier, decision: 'Accepter' })),
    );
    const abort = new AbortController();
    const first = await applyDecisions(ctx(), await load(file), {
      apply: true,
      signal: abort.signal,
      onProgress: (e) => {
        if (e.done === 2) abort.abort();
      },
    });
    expect(first.execution?.interrupted).toBe(true);
    expect(first.ok).toBe(false);
    expect(first.counts.applique).toBe(2);
    expect(first.counts.non_traite).toBe(2);
    const second = await applyDecisions(ctx(), await load(file), { apply: true });
    expect(second.ok).toBe(true);
    expect(second.counts.applique).toBe(2);
    expect(second.counts.deja_fait).toBe(2);
    expect(mutationsFor(world, dossiers)).toHaveLength(4);
  });

  it('a decision whose answer from DS is lost is « incertain », never « échec »; the rerun finds it done', async () => {
    const [n] = await world.take('en_instruction', 1);
    const file = await fillWorkbook(await world.report(), join(world.dir, 'jury-incertain.xlsx'), [{ dossier: n!, decision: 'Accepter' }]);
    // DS applies the decision, the connection drops before its answer arrives.
    const losing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (typeof init?.body === 'string' && init.body.includes('dossierAccepter')) {
        await response.arrayBuffer();
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return response;
    };
    const client = new DsClient({
      url: world.sim.graphqlUrl,
      token: world.sim.tokens.readWrite,
      budget: new RequestBudget({ perMinute: 60_000, burst: 100 }),
      maxRetries: 1,
      baseDelayMs: 5,
      fetch: losing,
    });
    const first = await applyDecisions({ ...ctx(), client }, await load(file), { apply: true });
    expect(first.results.find((r) => r.line.dossierNumber === n)?.outcome).toBe('incertain');
    expect(first.counts.echec).toBe(0);
    expect(first.ok).toBe(false);
    const second = await applyDecisions(ctx(), await load(file, true), { apply: true });
    expect(second.results.find((r) => r.line.dossierNumber === n)?.outcome).toBe('deja_fait');
    expect(mutationsFor(world, [n!])).toHaveLength(1);
  });

  it('blocks, before sending, a dossier DS put en attente de correction after the plan (issue #13, case 7)', async () => {
    const [pending] = await world.take('en_construction', 1);
    const [ok] = await world.take('en_instruction', 1);
    const file = await fillWorkbook(await world.report(), join(world.dir, 'jury-echec.xlsx'), [
      { dossier: pending!, decision: 'Accepter' },
      { dossier: ok!, decision: 'Accepter' },
    ]);
    const loaded = await load(file);
    // A correction is requested in DS after the plan: DS would now refuse the passage en instruction
    // (NOTES §3); the re-read just before sending sees it and nothing is sent for that line.
    await requestCorrection(world, pending!);
    const before = mutationsFor(world, [pending!]).length;
    const report = await applyDecisions(ctx(), loaded, { apply: true });
    const blocked = report.results.find((r) => r.line.dossierNumber === pending)!;
    expect(blocked.outcome).toBe('bloque');
    expect(blocked.detail).toMatch(/en attente de correction/);
    expect(mutationsFor(world, [pending!])).toHaveLength(before);
    expect(report.results.find((r) => r.line.dossierNumber === ok)?.outcome).toBe('applique');
    expect(report.ok).toBe(false);
    expect(world.sim.store.getDossier(pending!).state).toBe('en_construction');
    const rows = await resultRows(report.resultPath!);
    expect(rows.get(pending!)?.detail).toMatch(/correction/);
  });

  it('uploads the configured justificatif PDF and sends the decision without notification when configured', async () => {
    const [dossier] = await world.take('en_instruction', 1);
    const pdf = join(world.dir, 'decision-jury.pdf');
    writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    const config = parseConfig(
      {
        demarches: world.config.demarches.map((d) => ({
          ...d,
          decisions: { passerEnInstruction: true, disableNotification: true, justificatif: pdf },
        })),
      },
      'test',
    );
    const file = await fillWorkbook(await world.report(), join(world.dir, 'jury-justificatif.xlsx'), [
      { dossier: dossier!, decision: 'Refuser', motivation: 'Voir le courrier joint.' },
    ]);
    const loaded = await loadDecisions(world.db, config, { path: file, ignoreChanges: false });
    const item = loaded.plan.items.find((i) => i.dossierNumber === dossier);
    expect(item?.payload).toMatchObject({
      disableNotification: true,
      justificatif: { filename: 'decision-jury.pdf', contentType: 'application/pdf' },
    });
    const uploadsBefore = world.sim.stats.byOperation.CreateDirectUpload ?? 0;
    const report = await applyDecisions({ ...ctx(), config }, loaded, { apply: true });
    expect(report.ok).toBe(true);
    expect((world.sim.stats.byOperation.CreateDirectUpload ?? 0) - uploadsBefore).toBe(1);
    expect(world.sim.store.getDossier(dossier!)).toMatchObject({ state: 'refuse', motivation: 'Voir le courrier joint.' });
  });
});
