/**
 * Issue 13, case 1: a mapping that points nowhere. `candidat.rpps` mapped to a champ id that no
 * revision of the form has used to mark every dossier « non éligible » (exit 1) and `report`
 * went on (exit 0). Now `check` and `report` refuse (exit 2) and name the key and the closest
 * labels of the form; nothing is evaluated for that démarche. CLI as a child process, the
 * simulator over HTTP, a real SQLite file.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardrailsWorld, type GuardrailsWorld } from './support/guardrails-world.ts';

// A well-formed DS champ id ("Champ-99999", base64) that the simulator's form does not have.
const NOWHERE = Buffer.from('Champ-99999').toString('base64');

let world: GuardrailsWorld;
beforeAll(async () => {
  world = await createGuardrailsWorld({ dossiers: 30 });
  labels = await world.withDb(
    async (db) => new Map((await db.selectFrom('descriptors').select(['id', 'label']).execute()).map((d) => [d.id, d.label])),
  );
}, 60_000);
afterAll(async () => world?.close());

const evaluations = () =>
  world.withDb(
    async (db) =>
      (await db.selectFrom('evaluations').select('dossier_number').where('demarche_number', '=', world.demarche.number).execute()).length,
  );

/** The form label of a champ id, read from the mirror's descriptors. */
let labels: Map<string, string>;
const labelOf = (id: string) => labels.get(id) ?? id;

describe('a mapping key that points nowhere', () => {
  it('check refuses with exit 2, names the key and the closest form labels, and stores no verdict', async () => {
    expect(world.demarcheConfig.mapping['candidat.rpps'], 'the form has an RPPS champ').toBeTypeOf('string');
    world.writeConfig((d) => {
      d.mapping['candidat.rpps'] = NOWHERE;
    });
    const run = await world.cli(['check']);
    expect(run.code).toBe(2);
    expect(run.out).toContain(
      `mapping["candidat.rpps"] = « ${NOWHERE} » : ce champ n’existe dans aucune révision du formulaire connue du miroir`,
    );
    // The closest labels of the form: the RPPS champ comes first.
    expect(run.out).toMatch(/champs les plus proches : « [^»]*RPPS[^»]*» \(/);
    expect(run.err).toContain(`Erreur : mapping à corriger dans la configuration pour la ou les démarches ${world.demarche.number}`);
    expect(await evaluations()).toBe(0);
  }, 60_000);

  it('a label that matches no champ is refused the same way, with the closest labels', async () => {
    world.writeConfig((d) => {
      d.mapping['candidat.rpps'] = { label: 'Numéro RPPS du médecin remplaçant' };
    });
    const run = await world.cli(['--json', 'check']);
    expect(run.code).toBe(2);
    const [result] = JSON.parse(run.out).demarches as Array<{
      status: string;
      unreachableMapping: Array<{ field: string; closest: string[] }>;
    }>;
    expect(result?.status).toBe('failed');
    expect(result?.unreachableMapping.map((k) => k.field)).toEqual(['candidat.rpps']);
    expect(result?.unreachableMapping[0]?.closest[0]).toMatch(/RPPS/);
    expect(await evaluations()).toBe(0);
  }, 60_000);

  it('a key bound to a champ that cannot hold its value (a piece on a text champ, a date on a file champ) is refused the same way', async () => {
    const { mapping } = world.demarcheConfig;
    const textChamp = mapping['candidat.nom'];
    const fileChamp = mapping['piece.cv'];
    expect(textChamp, 'the form has a name champ').toBeTypeOf('string');
    expect(fileChamp, 'the form has a CV champ').toBeTypeOf('string');
    // Before: every dossier « incomplet » (CV « manquant ») and check exited 0.
    world.writeConfig((d) => {
      d.mapping['piece.cv'] = textChamp!;
      d.mapping['candidat.date_fin_internat'] = { label: labelOf(fileChamp as string) };
    });
    const run = await world.cli(['check']);
    expect(run.code).toBe(2);
    expect(run.out).toContain('2 clés du mapping ne désignent aucun champ utilisable du formulaire');
    expect(run.out).toMatch(
      /mapping\["piece\.cv"\] = « [^»]+ » : le champ « [^»]+ » \(Text\) est un champ qui ne contient pas de pièce jointe/,
    );
    expect(run.out).toMatch(
      /mapping\["candidat\.date_fin_internat"\] = libellé « [^»]+ » : le champ « [^»]+ » \(PieceJustificative\) est un champ pièce jointe/,
    );
    // The closest champs offered can hold the value: the CV champ itself comes first.
    expect(run.out).toContain(
      `cette clé y serait vide sur chaque dossier ; champs les plus proches : « ${labelOf(fileChamp as string)} » (${fileChamp})`,
    );
    expect(await evaluations()).toBe(0);
  }, 60_000);

  it('report refuses too (exit 2) and writes no workbook', async () => {
    world.writeConfig((d) => {
      d.mapping['candidat.rpps'] = NOWHERE;
    });
    const run = await world.cli(['report']);
    expect(run.code).toBe(2);
    expect(run.out).toContain(`mapping["candidat.rpps"] = « ${NOWHERE} »`);
    expect(run.err).toContain('classeur non écrit');
    const dir = join(world.dir, 'rapports');
    expect(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.xlsx')) : []).toEqual([]);
  }, 60_000);

  it('the night run does not go on silently: check and report fail for that démarche, annotate does not run, nothing is sent', async () => {
    world.writeConfig(
      (d) => {
        d.mapping['candidat.rpps'] = NOWHERE;
      },
      { worker: { annotate: true } },
    );
    const mutations = world.sim.stats.mutations.length;
    const run = await world.cli(['run-once']);
    expect(run.code).not.toBe(0);
    // The summary names the démarche by its number as written everywhere else (no thousands separator).
    expect(run.out).toMatch(new RegExp(`^\\s*${world.demarche.number}\\s+check\\s+échec`, 'm'));
    // No « mail » section: nothing was mailed, and the last line does not send the reader to a summary.
    expect(run.out).toContain('aucun récapitulatif n’a été envoyé par mail');
    expect(run.out).not.toContain('le récapitulatif les reprend');
    const steps = await world.withDb((db) =>
      db
        .selectFrom('pipeline_runs')
        .select(['step', 'status', 'error_message'])
        .where('demarche_number', '=', world.demarche.number)
        .execute(),
    );
    const byStep = Object.fromEntries(steps.map((s) => [s.step, s]));
    expect(byStep['check']?.status).toBe('failed');
    expect(byStep['check']?.error_message).toContain(`mapping["candidat.rpps"] = « ${NOWHERE} »`);
    expect(byStep['annotate']?.status).toBe('skipped');
    expect(byStep['report']?.status).toBe('failed');
    expect(world.sim.stats.mutations.length).toBe(mutations);
    expect(await evaluations()).toBe(0);
  }, 120_000);

  it('with the mapping corrected, check evaluates every dossier (exit 0 or 1, never 2)', async () => {
    world.writeConfig();
    const run = await world.cli(['check']);
    expect(run.code).not.toBe(2);
    expect(await evaluations()).toBe(30);
  }, 60_000);
});
