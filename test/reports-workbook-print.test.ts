/**
 * The jury workbook as printed: LibreOffice (headless, a real child process) turns it into a PDF
 * the way many ARS print it, and poppler reads the pages back (pdfinfo for sizes, pdftotext for
 * what each page shows). Needs libreoffice-calc and poppler-utils (.ci/run installs them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../src/db/database.ts';
import { writeJuryWorkbook } from '../src/reports/jury-workbook.ts';
import { syntheticDossiers } from '../bench/report.bench.ts';
import { aumgDemarche, seedDemarche, seedDossiers } from './reports-fixtures.ts';

const DEMARCHE = 61_001;
const DOSSIERS = 40;

function has(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

const tools = has('soffice', ['--version']) && has('pdfinfo', ['-v']);

// SQLite only: the printed layout of the workbook (LibreOffice); reports-workbook.test.ts builds it on both dialects.
describe.runIf(tools)('jury workbook printed with LibreOffice', () => {
  let dir: string;
  let db: Db;
  let pages: Array<{ width: number; height: number; text: string }>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ds-ars-print-'));
    db = await openDatabase(join(dir, 'ds-ars.sqlite'));
    await seedDemarche(db, DEMARCHE);
    // 40 AUMG dossiers as in the issue, a third with findings (long « Constats » cells).
    await seedDossiers(
      db,
      DEMARCHE,
      syntheticDossiers(DOSSIERS).map((d, i) => ({ ...d, number: 300_000 + i })),
    );
    const workbook = await writeJuryWorkbook(db, {
      demarche: aumgDemarche(DEMARCHE),
      uiBaseUrl: 'https://demat.example.test',
      outDir: join(dir, 'rapports'),
      now: new Date('2026-12-07T03:15:00.000Z'),
    });
    execFileSync(
      'soffice',
      [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, workbook.path],
      {
        stdio: 'ignore',
        timeout: 120_000,
      },
    );
    const pdf = join(dir, basename(workbook.path).replace(/\.xlsx$/, '.pdf'));
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '1000', pdf], { encoding: 'utf8' });
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
    pages = sizes.map((size, i) => ({
      ...size,
      text: execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdf, '-'], { encoding: 'utf8' }),
    }));
  }, 180_000);

  afterAll(async () => {
    await db?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints every page in A4 landscape with the footer « <démarche> — édité le jj/mm/aaaa hh:mm — page N / M »', () => {
    expect(pages.length).toBeGreaterThan(0);
    for (const [i, page] of pages.entries()) {
      expect(page.width, `page ${i + 1}`).toBeGreaterThan(page.height);
      expect(page.text.replace(/\s+/g, ' '), `page ${i + 1}`).toContain(
        `AUMG vague 12 (2025-2027) — édité le 07/12/2026 04:15 — page ${i + 1} / ${pages.length}`,
      );
    }
  });

  it('prints each table sheet one page wide, its header row on every page, rows of wrapped text readable', () => {
    const dossierPages = pages.filter((p) => p.text.includes('Déposé le'));
    const decisionPages = pages.filter((p) => /Décision\s/.test(p.text) && p.text.includes('Motivation'));
    // One page wide: the first and the last printed columns on the same page, on every page.
    for (const p of dossierPages) expect(p.text).toMatch(/N° dossier[\s\S]*Constats/);
    for (const p of decisionPages) expect(p.text).toMatch(/N° dossier[\s\S]*Éligible[\s\S]*Décision[\s\S]*Motivation/);
    // 40 dossiers: a couple of landscape pages each (the issue counted 21 portrait pages before).
    expect(dossierPages.length).toBeGreaterThan(0);
    expect(dossierPages.length).toBeLessThanOrEqual(4);
    expect(decisionPages.length).toBeGreaterThan(0);
    expect(decisionPages.length).toBeLessThanOrEqual(3);
    // Every dossier is printed, each once, on the Dossiers pages.
    const numbers = dossierPages.flatMap((p) => p.text.match(/\b3000\d\d\b/g) ?? []);
    expect(new Set(numbers).size).toBe(DOSSIERS);
    // Technical columns of the Décisions sheet are hidden, hence not printed.
    for (const p of decisionPages) expect(p.text).not.toContain('Identifiant DS (technique)');
    // The blocking causes stand beside the decision cell.
    expect(decisionPages.map((p) => p.text).join('\n')).toMatch(/Non : CV du candidat/);
  });
});

describe('jury workbook: empty columns', () => {
  it('hides (so does not print) a column no dossier fills, never the jury’s Décision and Motivation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ds-ars-print-empty-'));
    const db = await openDatabase(join(dir, 'ds-ars.sqlite'));
    try {
      await seedDemarche(db, DEMARCHE);
      // Every dossier in instruction (no « Traité le »), no establishment ranking (no « Ordre de priorité »).
      await seedDossiers(db, DEMARCHE, [
        { number: 1, state: 'en_instruction', nom: 'Martin', prenom: 'Alice', universite: 'Université Paris Cité' },
        { number: 2, state: 'en_instruction', nom: 'Durand', prenom: 'Basile', universite: 'Sorbonne Université' },
      ]);
      const { path } = await writeJuryWorkbook(db, {
        demarche: aumgDemarche(DEMARCHE),
        uiBaseUrl: 'https://demat.example.test',
        outDir: dir,
      });
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(path);
      const hidden = (sheetName: string, header: string) => {
        const sheet = book.getWorksheet(sheetName)!;
        const index = (sheet.getRow(1).values as unknown[]).findIndex((v) => v === header);
        expect(index, header).toBeGreaterThan(0);
        return sheet.getColumn(index).hidden;
      };
      expect(hidden('Dossiers', 'Traité le')).toBe(true);
      expect(hidden('Dossiers', 'Ordre de priorité')).toBe(true);
      expect(hidden('Dossiers', 'Université')).toBe(false);
      expect(hidden('Décisions', 'Ordre de priorité')).toBe(true);
      expect(hidden('Décisions', 'Décision')).toBe(false);
      expect(hidden('Décisions', 'Motivation')).toBe(false);
    } finally {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
