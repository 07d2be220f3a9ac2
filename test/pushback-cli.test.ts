import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli/main.ts';
import { dialects } from './support/postgres.ts';
import { createPushbackWorld, type PushbackWorld, writeCliConfig } from './support/pushback-world.ts';

let w: PushbackWorld;
let configPath: string;
const saved = { ...process.env };

function writeConfig(path: string, overrides: Record<string, unknown> = {}): string {
  return writeCliConfig(w, path, overrides);
}

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: process.env, writeOut: (t) => void out.push(t), writeErr: (t) => void err.push(t) };
  const code = await main(['node', 'ds-ars', ...args], io);
  return { code, out: out.join(''), err: err.join('') };
}

describe.each(dialects)('ds-ars annotate / journal (%s)', (dialect) => {
  beforeAll(async () => {
    w = await createPushbackWorld({ seed: 5, dossiers: 8, dialect });
    for (const n of await w.numbers()) await w.evaluate(n, { complet: n % 2 === 0, eligible: n % 2 === 0 ? 'oui' : 'non' });
    configPath = writeConfig(join(w.dir, 'ds-ars.json'));
    Object.assign(process.env, {
      DS_API_URL: w.sim.graphqlUrl,
      DS_API_TOKEN: w.sim.tokens.readWrite,
      DS_ARS_DB: w.dbPath,
      DS_ARS_CONFIG: configPath,
      DS_ARS_RATE_LIMIT: '6000',
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });

  afterAll(async () => {
    process.env = { ...saved };
    await w?.close();
  });

  it('without --apply prints the plan as a French table and sends nothing', async () => {
    const before = w.sim.stats.mutations.length;
    const result = await run('annotate');
    expect(result.code).toBe(0);
    expect(result.out).toContain('plan (rien n’est envoyé sans --apply)');
    expect(result.out).toMatch(/Dossier\s+Opération\s+Contenu\s+Motif\s+Résultat/);
    expect(result.out).toContain('Modifier les annotations');
    expect(result.out).toContain('à envoyer');
    expect(w.sim.stats.mutations.length).toBe(before);
  });

  it('plans without a DS token (the plan reads only the mirror); --apply without one stops at once with exit 2', async () => {
    delete process.env.DS_API_TOKEN;
    try {
      const plan = await run('annotate');
      expect(plan.code).toBe(0);
      expect(plan.out).toContain('à envoyer');
      const before = w.sim.stats.requests;
      const apply = await run('annotate', '--apply');
      expect(apply.code).toBe(2);
      expect(apply.err).toContain('DS_API_TOKEN');
      expect(w.sim.stats.requests).toBe(before);
    } finally {
      process.env.DS_API_TOKEN = w.sim.tokens.readWrite;
    }
  });

  it('a read-only token stops with a clear French message and exit 1', async () => {
    process.env.DS_API_TOKEN = w.sim.tokens.readOnly;
    try {
      const result = await run('annotate', '--apply');
      expect(result.code).toBe(1);
      expect(result.out).toContain('Arrêt : Le jeton DS est en lecture seule');
      expect(result.err).toContain('Terminé avec des erreurs');
    } finally {
      process.env.DS_API_TOKEN = w.sim.tokens.readWrite;
    }
  });

  it('--apply --json sends the mutations and reports them; the journal lists them', async () => {
    const result = await run('annotate', '--apply', '--json');
    expect(result.code).toBe(0);
    const [report] = JSON.parse(result.out) as Array<{
      demarche: number;
      counts: Record<string, number>;
      items: Array<{ dossier: number; status: string }>;
    }>;
    expect(report?.counts.sent).toBe((await w.numbers()).length);

    const n = report!.items[0]!.dossier;
    const journal = await run('journal', '--dossier', String(n));
    expect(journal.code).toBe(0);
    expect(journal.out).toMatch(/Date\s+Dossier\s+Opération\s+Résultat/);
    expect(journal.out).toContain('envoyé');

    const json = JSON.parse((await run('journal', '--dossier', String(n), '--json')).out) as Array<{ status: string; attempts: number }>;
    expect(json.map((r) => r.status)).toEqual(['sent']);
    // One row per mutation: the refused read-only attempt counts as a first attempt.
    expect(json[0]?.attempts).toBe(2);
    // --essais keeps that first attempt and its error, newest step first.
    const steps = JSON.parse((await run('journal', '--dossier', String(n), '--essais', '--json')).out) as Array<{
      status: string;
      attempt: number;
      error: string | null;
    }>;
    expect(steps.map((e) => [e.status, e.attempt])).toEqual([
      ['sent', 2],
      ['sending', 2],
      ['failed', 1],
      ['sending', 1],
    ]);
    expect(steps[2]?.error).toBeTruthy();
    const text = await run('journal', '--dossier', String(n), '--essais');
    expect(text.out).toMatch(/Date\s+Dossier\s+Opération\s+Étape\s+Essai/);
    expect(text.out).toContain('échec');
    expect(text.out).toContain('envoi ');

    const again = await run('annotate', '--apply', '--json');
    const [second] = JSON.parse(again.out) as Array<{ counts: Record<string, number>; unchanged: number }>;
    expect(second?.counts.sent).toBe(0);
  });

  it('an annotation missing from the démarche is a configuration error (exit 2)', async () => {
    const bad = writeConfig(join(w.dir, 'mauvaise.json'), { annotations: { synthese: { label: 'Annotation qui n’existe pas' } } });
    const result = await run('--config', bad, 'annotate');
    expect(result.code).toBe(2);
    expect(result.err).toContain('Annotation « Annotation qui n’existe pas » (synthèse des constats) introuvable');
  });

  it('an instructeur without access to some groupes: those dossiers are listed as blocked, exit 1', async () => {
    await w.evaluate((await w.numbers())[0]!, { complet: false, eligible: 'a_verifier' });
    for (const n of (await w.numbers()).slice(1)) await w.evaluate(n, { complet: true, eligible: 'a_verifier' });
    const restricted = writeConfig(join(w.dir, 'restreint.json'), { instructeurEmail: w.demarche.instructeurEmails[1] });
    const result = await run('--config', restricted, 'annotate', '--apply');
    expect(result.code).toBe(1);
    expect(result.out).toContain('bloqué');
    expect(result.out).toContain('n’a pas accès au groupe');
  });
});
