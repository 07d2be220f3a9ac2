/**
 * Simulator → sync → check → report and digest, end to end: the DS simulator over HTTP, the real
 * CLI for sync, report and digest, a real SQLite file or PostgreSQL database and the workbook read
 * back with exceljs.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';
import { parseConfig } from '../src/config/file.ts';
import { openDatabase } from '../src/db/database.ts';
import { DECISIONS_SHEET, dossierNumberFromCell } from '../src/reports/decisions-sheet.ts';
import { checkDemarches } from '../src/rules/check.ts';
import { formFromMirror } from '../src/rules/mapping/form-descriptors.ts';
import { matchLabels } from '../src/rules/mapping/match-labels.ts';
import { PROGRAMMES } from '../src/domain/programmes/index.ts';
import { startSyncFixture, visibleNumbers, type SyncFixture } from './sync-fixtures.ts';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';

const saved = { ...process.env };

// Labels of the simulator's AUMG form; the report resolves them against the mirrored descriptors.
const MAPPING = {
  'universite.nom': { label: "Nom de l'université" },
  'structure.nom': { label: 'Nom de la structure de soins' },
  'structure.zone': { label: "Zone d'implantation de la structure (ZIP, ZIP+, ZAC, QPV)" },
  'candidat.nom': { label: 'Nom du candidat' },
  'candidat.prenom': { label: 'Prénom du candidat' },
  'candidat.specialite_des': { label: 'Spécialité du DES' },
  'candidat.date_fin_internat': { label: "Date de fin de l'internat" },
};

afterAll(dropTestDatabases);

describe.each(dialects)('simulator → sync → check → report → digest (%s)', (dialect) => {
  let fx: SyncFixture;
  let configPath: string;
  let target: string;
  beforeAll(async () => {
    target = await freshTarget(dialect, 'ds-ars-e2e-');
    fx = await startSyncFixture({ seed: 77, programmes: ['aumg'], dossiers: { aumg: 40 } });
    configPath = join(fx.dir, 'ds-ars.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        instance: { uiBaseUrl: 'https://demat.example.test' },
        demarches: [
          {
            number: fx.demarche,
            programme: 'aumg',
            libelle: 'AUMG vague 12',
            session: {
              closingDate: '2025-04-30',
              startDates: ['2025-11-01'],
              durationsYears: [2],
              monthlyAmountEur: 2000,
              months: 24,
              envelopeEur: 960_000,
            },
            mapping: MAPPING,
          },
        ],
        output: { dir: join(fx.dir, 'rapports') },
      }),
    );
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: target,
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_CONFIG: configPath,
      DS_ARS_LOG_LEVEL: 'silent',
    });
  });
  afterAll(async () => {
    process.env = { ...saved };
    await fx?.close();
  });

  it('produces a workbook with one row per live dossier and the rules’ verdicts, then a dry-run digest', async () => {
    const sync = capture();
    expect(await main(argv('sync'), sync), sync.err()).toBe(0);

    const db = await openDatabase(target);
    // The rest of the form mapped as `ds-ars init` proposes it, so every rule sees its champs.
    const written = JSON.parse(readFileSync(configPath, 'utf8')) as { demarches: Array<{ mapping: Record<string, unknown> }> };
    const proposed = matchLabels(PROGRAMMES.aumg, (await formFromMirror(db, fx.demarche))!.champs);
    expect(proposed.unmatched.filter((u) => u.required)).toEqual([]);
    written.demarches[0]!.mapping = { ...proposed.mapping, ...MAPPING };
    writeFileSync(configPath, JSON.stringify(written));
    const config = parseConfig(written, configPath);
    const [checked] = await checkDemarches(db, config, undefined);
    expect(checked?.status).not.toBe('failed');
    // This AUMG form has no FINESS champ (a centre de santé's FINESS is checked where the form asks for it,
    // PROGRAMMES.md id.finess): said once for the démarche, never per dossier (issue #16 § 1).
    expect(checked?.unchecked.map((u) => u.ruleId)).toEqual(['id.finess']);
    const perDossier = await db.selectFrom('findings').select('message').where('message', 'like', '%non effectuée%').execute();
    expect(perDossier).toEqual([]);
    const findings = await db
      .selectFrom('findings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await db.destroy();

    const report = capture();
    expect(await main(argv('--json', 'report', '--par', 'groupe'), report), report.err()).toBe(0);
    const [item] = JSON.parse(report.out()) as Array<{
      demarche: number;
      path: string;
      dossiers: number;
      findings: number;
      warnings: string[];
      error: string | null;
    }>;
    const live = visibleNumbers(fx.sim, fx.demarche);
    expect(item).toMatchObject({ demarche: fx.demarche, dossiers: live.length, findings: findings.n, warnings: [], error: null });
    expect(statSync(item!.path).mode & 0o777).toBe(0o600);

    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(item!.path);
    const dossiers = book.getWorksheet('Dossiers')!;
    const numbers = Array.from({ length: dossiers.rowCount - 1 }, (_, i) => dossierNumberFromCell(dossiers.getCell(i + 2, 1).value));
    expect(numbers).toEqual(live);
    const header = (dossiers.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Nom', 'Prénom', 'Université', 'Structure partenaire', 'Complet', 'Éligible']));
    // Each row shows the verdict the simulator's scenario expects (PROGRAMMES.md « Verdicts »), in French.
    const complet = header.indexOf('Complet') + 1;
    const eligible = header.indexOf('Éligible') + 1;
    const frenchVerdict = { oui: 'Oui', non: 'Non', a_verifier: 'À vérifier' } as const;
    const shown = live.map((number, i) => ({
      number,
      complet: dossiers.getCell(i + 2, complet).value,
      eligible: dossiers.getCell(i + 2, eligible).value,
    }));
    const expected = live.map((number) => {
      const verdict = fx.sim.store.expectedVerdict(number);
      return { number, complet: verdict.complet ? 'Oui' : 'Non', eligible: frenchVerdict[verdict.eligible] };
    });
    expect(shown).toEqual(expected);
    // The démarche exercises every verdict, so matching them is not vacuous.
    expect(new Set(expected.map((v) => v.eligible))).toEqual(new Set(['Oui', 'Non', 'À vérifier']));
    const nom = header.indexOf('Nom') + 1;
    expect(
      Array.from({ length: live.length }, (_, i) => dossiers.getCell(i + 2, nom).value).every((v) => typeof v === 'string' && v.length > 0),
    ).toBe(true);
    expect(book.getWorksheet('Anomalies')!.rowCount - 1).toBe(findings.n);
    expect(book.getWorksheet(DECISIONS_SHEET)!.rowCount - 1).toBe(live.length);
    const summaryLines: string[] = [];
    book.getWorksheet('Synthèse')!.eachRow((row) => summaryLines.push(String(row.getCell(1).value)));
    const parametersAt = summaryLines.indexOf('Paramètres de la session');
    expect(parametersAt).toBeGreaterThan(0);
    const parameterRows: string[][] = [];
    book.getWorksheet('Synthèse')!.eachRow((row) => parameterRows.push([String(row.getCell(1).value), String(row.getCell(2).value)]));
    expect(parameterRows).toContainEqual(['Date de clôture (incluse, heure de Paris)', '30/04/2025']);
    expect(parameterRows).toContainEqual(['Zones acceptées pour la structure', 'ZIP, ZIP+, ZAC ou QPV (valeur par défaut)']);
    const uncheckedAt = summaryLines.indexOf('Contrôles non effectués pour toute la démarche, et pourquoi');
    expect(uncheckedAt).toBeGreaterThan(0);
    expect(summaryLines.slice(uncheckedAt).some((line) => /\(id\.finess\) : .*\(etablissement\.finess\)/.test(line))).toBe(true);

    const digest = capture();
    expect(
      await main(argv('--json', 'digest', '--dry-run', '--no-attach', '--to', 'instructeurs@ars.example.test'), digest),
      digest.err(),
    ).toBe(0);
    const outcome = JSON.parse(digest.out()) as { status: string; emlPath: string; counts: { awaitingDecision: number } };
    expect(outcome.status).toBe('dry_run');
    const eml = await simpleParser(readFileSync(outcome.emlPath));
    expect(eml.to && 'text' in eml.to ? eml.to.text : '').toBe('instructeurs@ars.example.test');
    expect(eml.text).toContain(`Démarche ${fx.demarche} – AUMG vague 12`);
    expect(eml.text).toContain(`${live.length} dossiers`);
    expect(eml.text).toContain('Contrôles non effectués pour toute la démarche, et pourquoi');
    expect(eml.text).toMatch(/- .*\(id\.finess\) : .*\(etablissement\.finess\)/);

    // Tonight's workbook is still current: the digest attaches it instead of writing another.
    const attached = capture();
    expect(
      await main(argv('--json', 'digest', '--dry-run', '--attach', '--to', 'instructeurs@ars.example.test'), attached),
      attached.err(),
    ).toBe(0);
    expect((JSON.parse(attached.out()) as { attachments: string[] }).attachments).toEqual([basename(item!.path)]);
    expect(readdirSync(join(fx.dir, 'rapports')).filter((f) => f.endsWith('.xlsx'))).toEqual([basename(item!.path)]);
  });

  it('exits 2 without a configuration and for an unknown breakdown', async () => {
    const noConfig = capture();
    delete process.env.DS_ARS_CONFIG;
    expect(await main(argv('report'), noConfig)).toBe(2);
    expect(noConfig.err()).toContain('Fichier de configuration requis');
    process.env.DS_ARS_CONFIG = configPath;
    const bad = capture();
    expect(await main(argv('report', '--par', 'couleur'), bad)).toBe(2);
    expect(bad.err()).toContain('specialite, subdivision, groupe');
    const unknown = capture();
    expect(await main(argv('report', '-d', '999'), unknown)).toBe(2);
    expect(unknown.err()).toContain('La démarche 999 n’est pas dans la configuration');
  });
});
