/**
 * Issue 13, case 2: `purge --before 2099-01-01 --apply` deleted every dossier, en construction and
 * en instruction included, and a later sync did not bring them back. Now: a future date is
 * refused; only decided dossiers (accepté, refusé, classé sans suite) of a closed campaign or
 * decided before the date are purged; the plan lists them per démarche and état; `--apply` asks
 * for the démarche number on a terminal (or `--oui`), and refuses without either; a purged dossier
 * is never re-imported, even by `sync --full`, and `status` counts it. CLI as a child process,
 * simulator over HTTP, real SQLite file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardrailsWorld, type GuardrailsWorld } from './support/guardrails-world.ts';
import { agree, plural } from '../src/shared/plural.ts';

const DECIDED = ['accepte', 'refuse', 'sans_suite'];
let world: GuardrailsWorld;
// Yesterday in UTC: never after today in Paris, so never refused as a future date.
const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const mirrored = () =>
  world.withDb(async (db) =>
    db.selectFrom('dossiers').select(['number', 'state']).where('demarche_number', '=', world.demarche.number).orderBy('number').execute(),
  );

beforeAll(async () => {
  world = await createGuardrailsWorld({ dossiers: 40 });
  world.writeConfig();
}, 60_000);
afterAll(async () => world?.close());

describe('purge never deletes live data', () => {
  it('refuses a date in the future (exit 2) and deletes nothing', async () => {
    const run = await world.cli(['purge', '--before', '2099-01-01', '--apply', '--oui']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Date « 2099-01-01 » dans le futur pour --before');
    // Today as a person reads a date (jj/mm/aaaa); the example to type stays in the input format.
    expect(run.err).toMatch(/nous sommes le \d{2}\/\d{2}\/\d{4}\) .*par exemple \d{4}-\d{2}-\d{2}\./);
    expect(await mirrored()).toHaveLength(40);
  }, 60_000);

  it('a --demarche the base never held (a typo) is refused (exit 2) with the démarches it holds, not « Aucun dossier à supprimer »', async () => {
    const typo = world.demarche.number + 1;
    const run = await world.cli(['purge', '--before', yesterday, '--demarche', String(typo)]);
    expect(run.code).toBe(2);
    expect(run.err).toContain(
      `La démarche ${typo} n’a jamais été synchronisée dans cette base : rien à purger pour elle. Démarches de la base : ${world.demarche.number}.`,
    );
    expect(run.out).not.toContain('Aucun dossier à supprimer');
    expect(await mirrored()).toHaveLength(40);
  }, 60_000);

  it('plans only decided dossiers, never en construction or en instruction, with counts per démarche and état', async () => {
    const all = await mirrored();
    const undecided = all.filter((d) => !DECIDED.includes(d.state));
    expect(undecided.length, 'the simulator has undecided dossiers').toBeGreaterThan(0);

    const json = await world.cli(['--json', 'purge', '--before', yesterday]);
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.out) as {
      applied: boolean;
      byDemarche: Array<{ demarche: number; dossiers: number; byState: Record<string, number> }>;
    };
    expect(plan.applied).toBe(false);
    const [row] = plan.byDemarche;
    expect(row?.demarche).toBe(world.demarche.number);
    expect(row!.dossiers).toBeGreaterThan(0);
    for (const state of Object.keys(row!.byState)) expect(DECIDED).toContain(state);
    expect(row!.dossiers).toBeLessThanOrEqual(all.length - undecided.length);

    const text = await world.cli(['purge', '--before', yesterday]);
    expect(text.out).toMatch(/Démarche\s+État\s+Dossiers/);
    expect(text.out).toMatch(new RegExp(`${world.demarche.number}\\s+(accepté|refusé|classé sans suite)\\s+\\d+`));
    expect(text.out).not.toMatch(/en_construction|en_instruction|en (construction|instruction)\s+\d/);
  }, 60_000);

  it('--apply without a terminal and without --oui refuses (exit 2); a wrong number typed back deletes nothing', async () => {
    const noTty = await world.cli(['purge', '--before', yesterday, '--apply']);
    expect(noTty.code).toBe(2);
    expect(noTty.err).toContain('Suppression non confirmée : rien n’a été supprimé');
    expect(await mirrored()).toHaveLength(40);

    const wrong = await world.cli(['purge', '--before', yesterday, '--apply'], { tty: true, input: '12345\n' });
    expect(wrong.out).toContain(`tapez son numéro (${world.demarche.number})`);
    expect(wrong.code).toBe(2);
    expect(wrong.out).toContain(`Confirmation incorrecte pour la démarche ${world.demarche.number} : rien n’a été supprimé`);
    expect(await mirrored()).toHaveLength(40);
  }, 60_000);

  it('Ctrl+D (end of input) or Ctrl+C at the question abandons in French (exit 2) and deletes nothing', async () => {
    // Before: « Erreur inattendue : Aborted with Ctrl+D », exit 1.
    for (const input of ['\u0004', '\u0003']) {
      const question = `tapez son numéro (${world.demarche.number})`;
      const run = await world.cli(['purge', '--before', yesterday, '--apply'], { tty: true, input, when: question });
      expect(run.out).toContain('Purge abandonnée (Ctrl+C ou fin de saisie) avant confirmation : rien n’a été supprimé.');
      expect(run.out).not.toMatch(/Aborted|inattendue/);
      expect(run.code).toBe(2);
      expect(await mirrored()).toHaveLength(40);
    }
  }, 60_000);

  it('the démarche number typed back purges; the purged dossiers are never re-imported, and status counts them', async () => {
    const before = await mirrored();
    const run = await world.cli(['purge', '--before', yesterday, '--apply'], { tty: true, input: `${world.demarche.number}\n` });
    expect(run.code).toBe(0);
    expect(run.out).toContain('Supprimés ou anonymisés.');
    const after = await mirrored();
    const purged = before.filter((d) => !after.some((a) => a.number === d.number));
    expect(purged.length).toBeGreaterThan(0);
    for (const d of purged) expect(DECIDED).toContain(d.state);
    // Every undecided dossier is still there.
    expect(after.filter((d) => !DECIDED.includes(d.state))).toEqual(before.filter((d) => !DECIDED.includes(d.state)));

    // A purged dossier edited in DS afterwards, then a full sync: still not written back, and said so.
    world.sim.store.editDossier(purged[0]!.number);
    const sync = await world.cli(['sync', '--full', '--demarche', String(world.demarche.number)]);
    expect(sync.code).toBe(0);
    expect(sync.out).toContain(
      `${plural(purged.length, 'dossier modifié', 'dossiers modifiés')} dans DS mais ${agree(purged.length, 'purgé', 'purgés')} du miroir (ds-ars purge), non ${agree(purged.length, 'réimporté', 'réimportés')}.`,
    );
    expect(await mirrored()).toEqual(after);

    const status = await world.cli(['--json', 'status']);
    const [row] = JSON.parse(status.out) as Array<{ live: number; purged: number }>;
    expect(row).toMatchObject({ purged: purged.length, live: 40 - purged.length });
  }, 120_000);
});
