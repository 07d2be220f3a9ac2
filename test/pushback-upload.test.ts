/**
 * The justificatif upload (createDirectUpload, then a PUT of the bytes to the signed URL) goes
 * through the DS client: request budget, a time limit per attempt and retries, against the
 * simulator's object storage.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import { applyDecisions } from '../src/decisions/apply-decisions.ts';
import { readJustificatif } from '../src/decisions/justificatif.ts';
import { loadDecisions } from '../src/decisions/load-decisions.ts';
import { AppError } from '../src/errors.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { DsClient } from '../src/graphql/client.ts';
import { uploadJustificatif } from '../src/pushback/ds-gateway.ts';
import { createWorld, fillWorkbook, type DecisionsWorld } from './support/decisions-fixture.ts';

let world: DecisionsWorld;
let pdf: string;

beforeAll(async () => {
  world = await createWorld({ seed: 17, dossiers: 20 });
  pdf = join(world.dir, 'decision-jury.pdf');
  writeFileSync(pdf, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
});

afterAll(async () => {
  await world?.close();
});

/** A client whose attempts give up after one second, retried once. */
const impatientClient = () =>
  new DsClient({
    url: world.sim.graphqlUrl,
    token: world.sim.tokens.readWrite,
    budget: new RequestBudget({ perMinute: 60_000, burst: 50 }),
    maxRetries: 1,
    baseDelayMs: 5,
    requestTimeoutMs: 1000,
  });

// SQLite only: the upload through the DS client; decisions-apply.test.ts applies decisions on both dialects.
describe('justificatif upload', () => {
  it('retries an upload answered 503 once, and the decision is applied with the justificatif', async () => {
    const [dossier] = await world.take('en_instruction', 1);
    const config = parseConfig(
      { demarches: world.config.demarches.map((d) => ({ ...d, decisions: { passerEnInstruction: true, justificatif: pdf } })) },
      'test',
    );
    const file = await fillWorkbook(await world.report(), join(world.dir, 'jury-503.xlsx'), [
      { dossier: dossier!, decision: 'Refuser', motivation: 'Voir le courrier joint.' },
    ]);
    const loaded = await loadDecisions(world.db, config, { path: file, ignoreChanges: false });
    const uploadsBefore = world.sim.stats.uploads;
    world.sim.setFaults({ failingNextUploads: 1 });
    const report = await applyDecisions({ db: world.db, client: world.client, config }, loaded, { apply: true });
    expect(report.ok).toBe(true);
    expect(world.sim.stats.uploads - uploadsBefore).toBe(2);
    // The simulator refuses a decision whose justificatif bytes never arrived (NOTES §3).
    expect(world.sim.store.getDossier(dossier!)).toMatchObject({ state: 'refuse', motivation: 'Voir le courrier joint.' });
  });

  it('gives up on a hung upload after the client’s time limit, with a French error', async () => {
    const [dossier] = await world.take('en_instruction', 1);
    const client = impatientClient();
    const uploadsBefore = world.sim.stats.uploads;
    world.sim.setFaults({ hangingNextUploads: 2 });
    const failed = await uploadJustificatif(
      client,
      world.sim.store.getDossier(dossier!).id,
      await readJustificatif(pdf, world.demarche.number),
    ).catch((e: unknown) => e);
    world.sim.setFaults({ hangingNextUploads: 0 });
    expect(failed).toBeInstanceOf(AppError);
    expect(failed).toMatchObject({
      code: 'network',
      message: 'DS n’a pas répondu à temps (dépôt, justificatif « decision-jury.pdf », plus de 1 s). Relancez la commande plus tard.',
    });
    expect(world.sim.stats.uploads - uploadsBefore).toBe(2);
    expect(client.stats).toMatchObject({ uploads: 2, retries: 1 });
  });

  it('does not retry an upload the storage refuses (checksum of another file), and says so', async () => {
    const [dossier] = await world.take('en_instruction', 1);
    const client = impatientClient();
    const uploadsBefore = world.sim.stats.uploads;
    const justificatif = { ...(await readJustificatif(pdf, world.demarche.number)), checksum: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    const failed = await uploadJustificatif(client, world.sim.store.getDossier(dossier!).id, justificatif).catch((e: unknown) => e);
    expect(failed).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('DS a refusé le dépôt (HTTP 422, dépôt, justificatif « decision-jury.pdf »)'),
    });
    expect(world.sim.stats.uploads - uploadsBefore).toBe(1);
  });
});
