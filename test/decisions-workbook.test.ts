import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/file.ts';
import { applyDecisions } from '../src/decisions/apply-decisions.ts';
import { loadDecisions } from '../src/decisions/load-decisions.ts';
import { AppError } from '../src/errors.ts';
import { DECISIONS_SHEET, METADATA_KEYS, METADATA_SHEET } from '../src/reports/decisions-sheet.ts';
import { dialects } from './support/postgres.ts';
import { createWorld, fillWorkbook, mutationsFor, rowCells, type DecisionsWorld } from './support/decisions-fixture.ts';

let world: DecisionsWorld;
let report: string;

const load = (path: string, options: { ignoreChanges?: boolean; demarche?: number } = {}, config = world.config) =>
  loadDecisions(world.db, config, { path, ignoreChanges: options.ignoreChanges ?? false, demarche: options.demarche });

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

async function editWorkbook(src: string, dest: string, edit: (workbook: ExcelJS.Workbook) => void): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(src);
  edit(workbook);
  await workbook.xlsx.writeFile(dest);
  return dest;
}

describe.each(dialects)('decisions workbook (%s)', (dialect) => {
  beforeAll(async () => {
    world = await createWorld({ seed: 7, dialect });
    report = await world.report();
  });

  afterAll(async () => {
    await world?.close();
  });

  describe('decisions: every faulty row is explained and nothing of it is applied', () => {
    it('locates each error by sheet, row and column; only the valid rows are sent', async () => {
      const [unknownDecision, noMotivation, duplicated, reserves, formula, uncomputed, richText, defavorable, sansSuite] = await world.take(
        'en_instruction',
        9,
      );
      const [accepted] = await world.take('accepte', 1);
      const [refused] = await world.take('refuse', 1);
      const [edited] = await world.take('en_construction', 1);
      const otherDossier = (
        await world.db
          .selectFrom('dossiers')
          .select('number')
          .where('demarche_number', '=', world.other.number)
          .where('deleted_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).number;
      const copied = await rowCells(report, duplicated!);

      const file = await fillWorkbook(
        report,
        join(world.dir, 'jury-erreurs.xlsx'),
        [
          { dossier: unknownDecision!, decision: 'Peut-être' },
          { dossier: noMotivation!, decision: 'Refuser', motivation: '   ' },
          { dossier: duplicated!, decision: 'Accepter' },
          { dossier: reserves!, decision: 'Favorable avec réserves' },
          {
            dossier: formula!,
            decision: { formula: 'IF(TRUE,"Refuser","")', result: 'Refuser' },
            motivation: { formula: 'CONCAT("Hors ","zone")', result: 'Hors zone' },
          },
          { dossier: uncomputed!, decision: { formula: 'Z99' } },
          {
            dossier: richText!,
            decision: 'Classer sans suite',
            motivation: { richText: [{ text: 'Dossier ' }, { text: 'incomplet', font: { bold: true } }] },
          },
          { dossier: defavorable!, decision: 'avis DÉFAVORABLE', motivation: 'Avis défavorable du coordonnateur.' },
          { dossier: sansSuite!, decision: '  classé   SANS suite ', motivation: 'Désistement.' },
          { dossier: accepted!, decision: 'Accepter' },
          { dossier: refused!, decision: 'Accepter' },
          { dossier: edited!, decision: 'Accepter' },
        ],
        [
          { ...copied, decision: 'Refuser', motivation: 'Doublon collé' },
          { dossierNumber: 999_999, decision: 'Accepter' },
          { dossierNumber: otherDossier, decision: 'Accepter' },
          { dossierNumber: '', decision: '', motivation: 'Une motivation sans décision' },
        ],
      );
      // The usager edits the dossier after the report; the nightly sync sees it.
      world.sim.store.editDossier(edited!);
      await world.sync();

      const loaded = await load(file);
      const lines = loaded.plan.lines;
      const of = (n: number) => lines.filter((l) => l.dossierNumber === n);
      const one = (n: number) => {
        const found = of(n);
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const at = (n: number, column: string) =>
        new RegExp(`^Feuille « ${DECISIONS_SHEET} », ligne ${one(n).rowNumber}, colonne « ${column} » \\([A-Z]+\\) : `);

      expect(one(unknownDecision!)).toMatchObject({ status: 'erreur' });
      expect(one(unknownDecision!).messages[0]).toMatch(at(unknownDecision!, 'Décision'));
      expect(one(unknownDecision!).messages[0]).toMatch(
        /« Peut-être » non reconnue ; valeurs possibles : Accepter, Refuser, Classer sans suite/,
      );
      expect(one(reserves!).status).toBe('erreur');
      expect(one(noMotivation!).messages[0]).toMatch(at(noMotivation!, 'Motivation'));
      expect(one(noMotivation!).messages[0]).toMatch(/motivation obligatoire pour « Refuser »/);
      expect(one(uncomputed!)).toMatchObject({ status: 'erreur' });
      expect(one(uncomputed!).messages[0]).toMatch(/la cellule I\d+ contient une formule \(=Z99\)/);

      const dupes = of(duplicated!);
      expect(dupes).toHaveLength(2);
      for (const d of dupes) {
        expect(d.status).toBe('erreur');
        expect(d.messages[0]).toMatch(new RegExp(`plusieurs lignes \\(lignes ${dupes.map((x) => x.rowNumber).join(', ')}\\)`));
      }
      expect(one(999_999)).toMatchObject({ status: 'erreur' });
      expect(one(999_999).messages[0]).toMatch(/dossier n° 999999 inconnu ; vérifiez le numéro ou lancez « ds-ars sync »/);
      expect(one(otherDossier).messages[0]).toMatch(
        new RegExp(`appartient à la démarche ${world.other.number}, pas à la démarche ${world.demarche.number}`),
      );

      expect(one(accepted!)).toMatchObject({ status: 'deja_fait', operations: [] });
      expect(one(accepted!).messages[0]).toMatch(/déjà accepté : rien à faire/);
      expect(one(refused!)).toMatchObject({ status: 'bloque' });
      expect(one(refused!).messages[0]).toMatch(/déjà refusé : repasser en instruction d’abord dans DS/);
      expect(one(edited!)).toMatchObject({ status: 'bloque' });
      expect(one(edited!).messages[0]).toMatch(/modifié dans DS depuis le rapport .*--ignore-changes/);

      // A formula is never sent as its computed value (issue #13, case 4): both cells are named.
      expect(one(formula!)).toMatchObject({ status: 'erreur', operations: [] });
      expect(one(formula!).messages).toHaveLength(2);
      expect(one(formula!).messages[0]).toMatch(
        new RegExp(`colonne « Décision » \\(I\\) : la cellule I${one(formula!).rowNumber} contient une formule \\(=IF`),
      );
      expect(one(formula!).messages[1]).toMatch(
        new RegExp(`colonne « Motivation » \\(J\\) : la cellule J${one(formula!).rowNumber} contient une formule`),
      );
      // Rich text and tolerant spellings are read as the jury saw them.
      expect(one(richText!)).toMatchObject({ status: 'a_faire', decision: 'classerSansSuite', motivation: 'Dossier incomplet' });
      expect(one(defavorable!)).toMatchObject({ status: 'a_faire', decision: 'refuser' });
      expect(one(sansSuite!)).toMatchObject({ status: 'a_faire', decision: 'classerSansSuite' });

      const note = lines.find((l) => l.dossierNumber === null && l.status === 'vide');
      expect(note?.messages[0]).toMatch(/motivation sans décision ; ligne ignorée/);

      const faulty = [
        unknownDecision!,
        noMotivation!,
        duplicated!,
        reserves!,
        formula!,
        uncomputed!,
        accepted!,
        refused!,
        edited!,
        otherDossier,
      ];
      const before = faulty.map((n) => world.sim.store.getDossier(n).state);
      const result = await applyDecisions({ db: world.db, client: world.client, config: world.config }, loaded, { apply: true });
      expect(result.ok).toBe(false);
      expect(result.counts.applique).toBe(3);
      expect(mutationsFor(world, faulty)).toHaveLength(0);
      expect(faulty.map((n) => world.sim.store.getDossier(n).state)).toEqual(before);
      expect(world.sim.store.getDossier(richText!)).toMatchObject({ state: 'sans_suite', motivation: 'Dossier incomplet' });

      // --ignore-changes lets the edited dossier through, and only that one changes.
      const forced = await load(file, { ignoreChanges: true });
      const line = forced.plan.lines.find((l) => l.dossierNumber === edited);
      expect(line).toMatchObject({ status: 'a_faire', operations: ['passerEnInstruction', 'accepter'] });
      expect(line?.messages[0]).toMatch(/ignoré : --ignore-changes/);
    });

    it('blocks a dossier still en construction when the configuration forbids passing it en instruction', async () => {
      const [dossier] = await world.take('en_construction', 1);
      const file = await fillWorkbook(report, join(world.dir, 'jury-construction.xlsx'), [{ dossier: dossier!, decision: 'Accepter' }]);
      const strict = parseConfig(
        { demarches: world.config.demarches.map((d) => ({ ...d, decisions: { ...d.decisions, passerEnInstruction: false } })) },
        'test',
      );
      const line = (await load(file, {}, strict)).plan.lines.find((l) => l.dossierNumber === dossier);
      expect(line).toMatchObject({ status: 'bloque', operations: [] });
      expect(line?.messages[0]).toMatch(
        /encore en construction : passez-le en instruction dans DS, ou autorisez « decisions.passerEnInstruction »/,
      );
    });

    it('matches headers whatever their case, accents and spacing', async () => {
      const [dossier] = await world.take('en_instruction', 1);
      const filled = await fillWorkbook(report, join(world.dir, 'jury-entetes-0.xlsx'), [
        { dossier: dossier!, decision: 'Refuser', motivation: 'Hors délai.' },
      ]);
      const file = await editWorkbook(filled, join(world.dir, 'jury-entetes.xlsx'), (workbook) => {
        const header = workbook.getWorksheet(DECISIONS_SHEET)!.getRow(1);
        header.eachCell((cell) => {
          if (cell.value === 'Décision') cell.value = '  DECISION ';
          if (cell.value === 'Motivation') cell.value = 'motivation\u00A0';
          if (cell.value === 'N° dossier') cell.value = 'n°   Dossier';
        });
      });
      const line = (await load(file)).plan.lines.find((l) => l.dossierNumber === dossier);
      expect(line).toMatchObject({ status: 'a_faire', decision: 'refuser', motivation: 'Hors délai.' });
    });

    it('refuses the whole file when a column the jury fills is missing', async () => {
      const file = await editWorkbook(report, join(world.dir, 'jury-sans-motivation.xlsx'), (workbook) => {
        workbook
          .getWorksheet(DECISIONS_SHEET)!
          .getRow(1)
          .eachCell((cell) => {
            if (cell.value === 'Motivation') cell.value = 'Commentaire';
          });
      });
      const error = await refusal(load(file));
      expect(error.code).toBe('workbook');
      expect(error.message).toMatch(/colonne\(s\) « Motivation » introuvable/);
    });
  });

  describe('decisions: a workbook is bound to its démarche', () => {
    it('refuses a workbook of another démarche than the one asked for', async () => {
      const error = await refusal(load(report, { demarche: world.other.number }));
      expect(error.code).toBe('workbook');
      expect(error.message).toMatch(
        new RegExp(`appartient à la démarche ${world.demarche.number}, pas à la démarche ${world.other.number}`),
      );
    });

    it('refuses a workbook whose metadata was changed to another démarche', async () => {
      const file = await editWorkbook(report, join(world.dir, 'jury-trafique.xlsx'), (workbook) => {
        workbook.getWorksheet(METADATA_SHEET)!.eachRow((row) => {
          if (row.getCell(1).value === METADATA_KEYS.demarcheNumber) row.getCell(2).value = world.other.number;
        });
      });
      const error = await refusal(load(file));
      expect(error.message).toMatch(
        new RegExp(`indiquent la démarche ${world.other.number} alors qu’il a été produit pour la démarche ${world.demarche.number}`),
      );
    });

    it('refuses a workbook without metadata, or one this installation did not produce', async () => {
      const bare = await editWorkbook(report, join(world.dir, 'jury-copie.xlsx'), (workbook) => {
        workbook.removeWorksheet(workbook.getWorksheet(METADATA_SHEET)!.id);
      });
      expect((await refusal(load(bare))).message).toMatch(/métadonnées absentes/);
      const foreign = await editWorkbook(report, join(world.dir, 'jury-ailleurs.xlsx'), (workbook) => {
        workbook.getWorksheet(METADATA_SHEET)!.eachRow((row) => {
          if (row.getCell(1).value === METADATA_KEYS.workbookId) row.getCell(2).value = '00000000-0000-4000-8000-000000000000';
        });
      });
      expect((await refusal(load(foreign))).message).toMatch(/inconnu de cette base/);
    });

    it('reads a workbook whose zip stores the sheets before the workbook part, as other tools may write it', async () => {
      const [dossier] = await world.take('en_instruction', 1);
      const filled = await fillWorkbook(report, join(world.dir, 'jury-ordre-0.xlsx'), [
        { dossier: dossier!, decision: 'Refuser', motivation: 'Dossier incomplet.' },
      ]);
      // Relationships and shared strings first, xl/workbook.xml last: a valid .xlsx (OOXML does not
      // order zip entries) on which exceljs's streaming reader alone fails.
      const source = await JSZip.loadAsync(readFileSync(filled));
      const names = Object.keys(source.files).filter((name) => !source.files[name]!.dir);
      const first = ['xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml'];
      const order = [...first, ...names.filter((n) => !first.includes(n) && n !== 'xl/workbook.xml'), 'xl/workbook.xml'];
      const reordered = new JSZip();
      for (const name of order) reordered.file(name, await source.files[name]!.async('uint8array'));
      const file = join(world.dir, 'jury-ordre.xlsx');
      writeFileSync(file, await reordered.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));

      const line = (await load(file)).plan.lines.find((l) => l.dossierNumber === dossier);
      expect(line).toMatchObject({ status: 'a_faire', decision: 'refuser', motivation: 'Dossier incomplet.' });
    });

    it('refuses a file that is not a workbook, with a usage error', async () => {
      const path = join(world.dir, 'pas-un-classeur.xlsx');
      writeFileSync(path, 'ceci n’est pas un classeur');
      expect((await refusal(load(path))).code).toBe('workbook');
      expect((await refusal(load(join(world.dir, 'absent.xlsx')))).code).toBe('usage');
    });
  });
});
