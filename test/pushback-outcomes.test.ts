/**
 * Honest totals (#14 case 3): an item the run never reached is « non tentée », not « déjà
 * faite »; an unverified send is « incertaine » (journal row left 'sending'), never « échec »;
 * the last line counts only what really needs attention. Real CLI processes, simulator over HTTP.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DsClient } from '../src/graphql/client.ts';
import { RequestBudget } from '../src/graphql/budget.ts';
import { annotateDemarche } from '../src/pushback/annotate.ts';
import { champValue } from '../src/pushback/dossier-view.ts';
import { executePlan } from '../src/pushback/executor.ts';
import { DEFAULT_MASS_CHANGE } from '../src/pushback/mass-change.guard.ts';
import { dialects } from './support/postgres.ts';
import { ANNOTATION_LABELS, createPushbackWorld, type PushbackWorld, writeCliConfig } from './support/pushback-world.ts';
import { plural } from '../src/shared/plural.ts';

interface JsonDemarche {
  demarche: number;
  runId: string;
  outcomes: Record<'sent' | 'alreadyDone' | 'notAttempted' | 'blocked' | 'failed' | 'uncertain' | 'planned', number>;
  items: { dossier: number; status: string }[];
}

let w: PushbackWorld;
let configPath: string;

/**
 * Every dossier gets a fresh evaluation whose annotations differ from DS: one mutation each. Flipping
 * every verdict on purpose trips the mass-change rail (#13 case 1): these runs confirm it, as an operator would.
 */
async function evaluateAll(round: number): Promise<number[]> {
  const numbers = await w.numbers();
  for (const n of numbers) await w.evaluate(n, { complet: (n + round) % 2 === 0, eligible: (n + round) % 2 === 0 ? 'oui' : 'non' });
  return numbers;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['bin/ds-ars.js', ...args], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DS_API_URL: w.sim.graphqlUrl,
      DS_API_TOKEN: w.sim.tokens.readWrite,
      DS_ARS_DB: w.dbPath,
      DS_ARS_CONFIG: configPath,
      DS_ARS_RATE_LIMIT: '6000',
      DS_ARS_LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out, err })),
  );
  return { child, exited };
}

async function journalOf(runId: string) {
  return w.db.selectFrom('mutation_journal').select(['dossier_number', 'status']).where('run_id', '=', runId).execute();
}

const sentRows = async (since: number) =>
  (await w.db.selectFrom('mutation_journal').select('id').where('status', '=', 'sent').where('id', '>', since).execute()).length;

describe.each(dialects)('pushback outcomes (%s)', (dialect) => {
  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 23, dossiers: 10, dialect });
    configPath = writeCliConfig(w);
  });
  afterAll(async () => w?.close());
  beforeEach(() => w.sim.setFaults({ latencyMs: 0, serverErrorRate: 0, resetRate: 0, timeoutRate: 0 }));

  describe('annotate --apply stopped mid-batch (real process)', { timeout: 120_000 }, () => {
    it('Ctrl-C: the items never sent are « non tentées », none « déjà faite » nor « en échec »; totals match the journal', async () => {
      const numbers = await evaluateAll(1);
      const lastId =
        (
          await w.db
            .selectFrom('mutation_journal')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirst()
        )?.id ?? 0;
      // Slow answers: the process is stopped after its first mutation, well before the last one.
      w.sim.setFaults({ latencyMs: 250 });
      const { child, exited } = cli(['--json', 'annotate', '--apply', '--confirmer-masse']);
      await vi.waitFor(async () => expect(await sentRows(Number(lastId))).toBeGreaterThanOrEqual(1), { timeout: 60_000, interval: 20 });
      child.kill('SIGINT');
      const { code, out, err } = await exited;
      expect(code).toBe(1);
      const [report] = JSON.parse(out) as JsonDemarche[];
      expect(report!.items).toHaveLength(numbers.length);
      expect(report!.outcomes.alreadyDone).toBe(0);
      expect(report!.outcomes.failed).toBe(0);
      expect(report!.outcomes.notAttempted).toBeGreaterThan(0);
      expect(report!.outcomes.sent + report!.outcomes.notAttempted + report!.outcomes.uncertain).toBe(numbers.length);
      // The totals are the journal's: one 'sent' row per « envoyée », no row for a « non tentée ».
      const rows = await journalOf(report!.runId);
      expect(rows.filter((r) => r.status === 'sent')).toHaveLength(report!.outcomes.sent);
      expect(rows.filter((r) => r.status === 'sending')).toHaveLength(report!.outcomes.uncertain);
      expect(rows).toHaveLength(report!.outcomes.sent + report!.outcomes.uncertain);
      expect(err).toContain(`${plural(report!.outcomes.notAttempted, 'non tentée', 'non tentées')} (interrompu)`);
      expect(err).not.toContain('en échec');

      // The rerun sends exactly the rest, each once.
      w.sim.setFaults({ latencyMs: 0 });
      const rerun = await cli(['--json', 'annotate', '--apply', '--confirmer-masse']).exited;
      expect(rerun.code).toBe(0);
      const [second] = JSON.parse(rerun.out) as JsonDemarche[];
      expect(second!.outcomes.sent + second!.outcomes.alreadyDone).toBe(report!.outcomes.notAttempted + report!.outcomes.uncertain);
      for (const n of numbers)
        expect(w.mutations('dossierModifierAnnotations').filter((m) => m.dossierNumber === n).length).toBeLessThanOrEqual(2);
    });

    it('a token revoked mid-batch: one item « en échec » (the one that met it), the rest « non tentées »; the line says 1 en échec', async () => {
      const numbers = await evaluateAll(2);
      const lastId =
        (
          await w.db
            .selectFrom('mutation_journal')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirst()
        )?.id ?? 0;
      w.sim.setFaults({ latencyMs: 250 });
      // Every verdict flips (evaluateAll): a mass change of written annotations, confirmed (docs/garde-fous.md §2).
      const { exited } = cli(['--json', 'annotate', '--apply', '--confirmer-masse']);
      const revoked = w.sim.tokens.expired;
      try {
        await vi.waitFor(async () => expect(await sentRows(Number(lastId))).toBeGreaterThanOrEqual(1), { timeout: 60_000, interval: 20 });
        // The simulator answers « Token expired » (401) to its `expired` token: the running token becomes it.
        w.sim.tokens.expired = w.sim.tokens.readWrite;
        const { code, out, err } = await exited;
        expect(code).toBe(1);
        const [report] = JSON.parse(out) as JsonDemarche[];
        expect(report!.items).toHaveLength(numbers.length);
        expect(report!.outcomes.failed).toBe(1);
        expect(report!.outcomes.alreadyDone).toBe(0);
        expect(report!.outcomes.notAttempted).toBe(numbers.length - report!.outcomes.sent - 1);
        const rows = await journalOf(report!.runId);
        expect(rows.filter((r) => r.status === 'failed')).toHaveLength(1);
        expect(rows.filter((r) => r.status === 'sent')).toHaveLength(report!.outcomes.sent);
        expect(err).toMatch(/mutations .*\b1 en échec/);
        expect(err).not.toMatch(/\b2 en échec/);
        expect(err).toContain(`${plural(report!.outcomes.notAttempted, 'non tentée', 'non tentées')} (interrompu)`);
      } finally {
        w.sim.tokens.expired = revoked;
      }
    });
  });

  describe('a send that cannot be verified is « incertaine », never « échec »', () => {
    const client = (fetchFn?: typeof fetch) =>
      new DsClient({
        url: w.sim.graphqlUrl,
        token: w.sim.tokens.readWrite,
        budget: new RequestBudget({ perMinute: 60_000, burst: 100 }),
        maxRetries: 1,
        baseDelayMs: 5,
        ...(fetchFn ? { fetch: fetchFn } : {}),
      });

    it('the answer to the mutation is lost: « incertaine », row left « sending »; a verification read that runs out of retries keeps it so; then it is settled without resending', async () => {
      await w.sync();
      const [n] = await w.numbers();
      const shown = champValue((await w.readBack(n!)).annotations.find((a) => a.label === ANNOTATION_LABELS.complet)!);
      await w.evaluate(n!, {
        complet: !(shown !== null && (('checkbox' in shown && shown.checkbox) || ('yesNo' in shown && shown.yesNo))),
        eligible: 'a_verifier',
      });
      // DS applies the mutation, the connection drops before its answer arrives.
      const losing: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (typeof init?.body === 'string' && init.body.includes('dossierModifierAnnotations')) {
          await response.arrayBuffer();
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
        return response;
      };
      const writes = () => w.mutations('dossierModifierAnnotations').filter((m) => m.dossierNumber === n).length;
      const before = writes();
      const demarche = { ...w.demarcheConfig, annotations: { complet: { label: ANNOTATION_LABELS.complet } } };
      // Earlier tests left other verdicts flipped: confirm the mass change (docs/garde-fous.md §2), the subject here is one lost answer.
      const first = await annotateDemarche({ ...w.ctx({ client: client(losing) }) }, demarche, {
        apply: true,
        massChange: { ...DEFAULT_MASS_CHANGE, confirmed: true },
      });
      const mine = first.execution.results.filter((r) => r.item.dossierNumber === n);
      expect(mine.map((r) => r.status)).toEqual(['uncertain']);
      const key = mine[0]!.key;
      const row = async () =>
        w.db
          .selectFrom('mutation_journal')
          .select(['status', 'error_message'])
          .where('idempotency_key', '=', key)
          .executeTakeFirstOrThrow();
      expect((await row()).status).toBe('sending');
      expect(writes()).toBe(before + 1);

      // Next run: DS answers 5xx to every read, the verification runs out of retries.
      w.sim.setFaults({ serverErrorRate: 1 });
      const plan = first.execution.planId!;
      const blind = await executePlan(w.ctx({ client: client() }), plan, { apply: true });
      const again = blind.results.find((r) => r.key === key)!;
      expect(again.status).toBe('uncertain');
      expect((await row()).status).toBe('sending');
      expect((await row()).error_message).toBeTruthy();

      // DS is back: the re-read shows the annotation, the row becomes 'sent', nothing is resent.
      w.sim.setFaults({ serverErrorRate: 0 });
      const settled = await executePlan(w.ctx({ client: client() }), plan, { apply: true });
      expect(settled.results.find((r) => r.key === key)?.status).toBe('skipped');
      expect((await row()).status).toBe('sent');
      expect(writes()).toBe(before + 1);
    });

    it('a lost answer to a send forced over a hand edit: the next run, not forced and before any sync, settles it from DS (« déjà faite »), never « modifiée à la main »', async () => {
      await w.sync();
      const n = (await w.numbers())[1]!;
      const demarche = { ...w.demarcheConfig, annotations: { eligibilite: { label: ANNOTATION_LABELS.eligibilite } } };
      const massChange = { ...DEFAULT_MASS_CHANGE, confirmed: true };
      const annotation = () => (async () => (await w.readBack(n)).annotations.find((a) => a.label === ANNOTATION_LABELS.eligibilite)!)();
      // ds-ars writes its verdict (« à vérifier »: earlier tests of this world only wrote « oui » and
      // « non », so no write of the same values over the same ones was journaled), then an
      // instructor changes it by hand in DS; the mirror sees the edit.
      await w.evaluate(n, { complet: true, eligible: 'a_verifier' });
      // The hand edit differs from the value before ds-ars's write too: else the same write over the same value is journaled.
      const handValue = JSON.stringify(champValue(await annotation())).includes('Non') ? 'Oui' : 'Non';
      await annotateDemarche(w.ctx({ client: client() }), demarche, { apply: true, massChange });
      const written = champValue(await annotation());
      const descriptorId = (await annotation()).champDescriptorId;
      w.sim.store.editAnnotation(n, descriptorId, handValue);
      await w.sync();
      expect(champValue(await annotation())).not.toEqual(written);

      // --force: DS applies the overwrite, the connection drops before its answer arrives.
      const losing: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (typeof init?.body === 'string' && init.body.includes('dossierModifierAnnotations')) {
          await response.arrayBuffer();
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
        return response;
      };
      const forced = await annotateDemarche(w.ctx({ client: client(losing) }), demarche, { apply: true, force: true, massChange });
      expect(forced.execution.results.filter((r) => r.item.dossierNumber === n).map((r) => r.status)).toEqual(['uncertain']);
      expect(champValue(await annotation())).toEqual(written);
      const writes = w.mutations('dossierModifierAnnotations').filter((m) => m.dossierNumber === n).length;

      // Next run, not forced, mirror not re-synced: before, « modifiée à la main… utilisez --force » and the send stayed « en cours ».
      const next = await annotateDemarche(w.ctx({ client: client() }), demarche, { apply: true, massChange });
      const mine = next.execution.results.filter((r) => r.item.dossierNumber === n);
      expect(mine.map((r) => r.status)).toEqual(['skipped']);
      expect(mine[0]?.detail).toContain('déjà pris en compte par DS');
      const uncertain = await w.db
        .selectFrom('mutation_journal')
        .select('id')
        .where('dossier_number', '=', n)
        .where('status', '=', 'sending')
        .execute();
      expect(uncertain).toEqual([]);
      expect(w.mutations('dossierModifierAnnotations').filter((m) => m.dossierNumber === n).length).toBe(writes);
    });
  });
});
