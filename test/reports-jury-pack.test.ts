/**
 * The jury pack end to end: the DS simulator serves real files (PDFs of 1 to 3 pages, a JPEG
 * scan, a .docx, PDFs cut short), `sync --files` downloads them, the real CLI writes the pack,
 * and the PDF is read back with pdf-lib (pages, bookmarks) and poppler's pdfinfo/pdftotext.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { argv, capture } from './support/cli-capture.ts';
import { parseConfig } from '../src/config/file.ts';
import { openDatabase } from '../src/db/database.ts';
import { checkDemarches } from '../src/rules/check.ts';
import { fileIdentity, isTruncatedPdf, pdfPageCount } from '../src/simulator/files.ts';
import { startSyncFixture, type SyncFixture } from './sync-fixtures.ts';
import { plural } from '../src/shared/plural.ts';

const saved = { ...process.env };

const hasPoppler = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

// Labels of the simulator's AUMG form (src/simulator/programmes.ts), pieces in the programme's list.
const MAPPING = {
  'universite.nom': { label: "Nom de l'université" },
  'structure.nom': { label: 'Nom de la structure de soins' },
  'structure.zone': { label: "Zone d'implantation de la structure (ZIP, ZIP+, ZAC, QPV)" },
  'candidat.nom': { label: 'Nom du candidat' },
  'candidat.prenom': { label: 'Prénom du candidat' },
  'candidat.specialite_des': { label: 'Spécialité du DES' },
  'piece.presentation_dumg': { label: 'Présentation du DUMG (selon le modèle fourni)' },
  'piece.presentation_structure': { label: 'Présentation de la structure de soins' },
  'piece.lettre_engagement': { label: "Lettre d'engagement signée par les trois partenaires" },
  'piece.projet': { label: 'Projet co-construit' },
  'piece.cv': { label: 'Curriculum vitae' },
  'piece.lettre_motivation': { label: 'Lettre de motivation' },
  'piece.attestation_ordre': { label: "Attestation d'inscription à l'Ordre des médecins" },
};

// PROGRAMMES.md (AUMG): the programme's list of pieces, in this order.
const AUMG_PIECE_LABELS = [
  'Présentation du département universitaire de médecine générale',
  'Présentation de la structure de soins',
  'Lettre d’engagement des partenaires',
  'Projet co-construit entre les partenaires',
  'CV du candidat',
  'Lettre de motivation du candidat',
  'Attestation d’inscription à l’Ordre des médecins',
];

interface Bookmark {
  title: string;
  page: number;
  children: Bookmark[];
}

function readOutline(doc: PDFDocument): Bookmark[] {
  const pageIndex = new Map(doc.getPages().map((p, i) => [p.ref.toString(), i + 1]));
  const text = (o: unknown) => (o instanceof PDFHexString || o instanceof PDFString ? o.decodeText() : '');
  const level = (first: unknown): Bookmark[] => {
    const items: Bookmark[] = [];
    for (let ref = first; ref instanceof PDFRef; ) {
      const item = doc.context.lookup(ref, PDFDict);
      const dest = item.lookup(PDFName.of('Dest'), PDFArray);
      items.push({
        title: text(item.lookup(PDFName.of('Title'))),
        page: pageIndex.get(String(dest.get(0))) ?? -1,
        children: level(item.get(PDFName.of('First'))),
      });
      ref = item.get(PDFName.of('Next'));
    }
    return items;
  };
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  return outlines ? level(outlines.get(PDFName.of('First'))) : [];
}

describe('dossier du jury (PDF)', () => {
  let fx: SyncFixture;
  let configPath: string;
  let corrupted: { dossier: number; filename: string };
  const truncated: Array<{ dossier: number; filename: string }> = [];
  const expectedPages = new Map<string, number>();

  beforeAll(async () => {
    fx = await startSyncFixture({ seed: 77, programmes: ['aumg'], dossiersPerDemarche: 40, rateLimitPerMinute: 0 });
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
            session: { closingDate: '2025-04-30', startDates: ['2025-11-01'] },
            mapping: MAPPING,
          },
        ],
        output: { dir: join(fx.dir, 'rapports') },
      }),
    );
    Object.assign(process.env, {
      DS_API_URL: fx.sim.graphqlUrl,
      DS_API_TOKEN: fx.sim.tokens.readWrite,
      DS_ARS_DB: join(fx.dir, 'pack.sqlite'),
      DS_ARS_FILES_DIR: fx.filesDir,
      DS_ARS_CONFIG: configPath,
      DS_ARS_LOG_LEVEL: 'silent',
      DS_ARS_RATE_LIMIT: '10000',
    });
    const live = fx.sim.store.listDossiers(fx.demarche).filter((d) => d.state === 'en_instruction');
    // One file whose bytes DS serves altered: its checksum fails at download.
    const victim = live.find((d) => d.scenario === 'valide')!;
    const cvFile = fx.sim.store.getDossier(victim.number).files.find((f) => f.key === 'cv')!;
    fx.sim.store.corruptFile(victim.number, cvFile.champDescriptorId);
    corrupted = { dossier: victim.number, filename: cvFile.filename };
    for (const d of live) {
      const files = fx.sim.store.getDossier(d.number).files;
      const byField = new Map<string, number>();
      for (const f of files) {
        const index = byField.get(f.champDescriptorId) ?? 0;
        byField.set(f.champDescriptorId, index + 1);
        const stableId = Number(Buffer.from(f.champDescriptorId, 'base64').toString('latin1').replace(/\D/g, ''));
        const identity = fileIdentity(d.number, stableId, index);
        const isPdf = f.filename.toLowerCase().endsWith('.pdf') && f.contentType === 'application/pdf';
        if (isPdf && isTruncatedPdf(identity)) truncated.push({ dossier: d.number, filename: f.filename });
        if (isPdf) expectedPages.set(`${d.number}|${f.filename}`, pdfPageCount(identity));
      }
    }
  });
  afterAll(async () => {
    process.env = saved;
    await fx?.close();
  });

  it('writes one PDF: cover, contents, then each candidate’s summary and pieces in the programme’s order, with bookmarks', async () => {
    const sync = capture();
    expect(await main(argv('sync', '--files'), sync), sync.err()).toBe(1); // one checksum mismatch: partial
    const db = await openDatabase(join(fx.dir, 'pack.sqlite'));
    const config = parseConfig(JSON.parse(readFileSync(configPath, 'utf8')), configPath);
    await checkDemarches(db, config, undefined);
    const inInstruction = (
      await db.selectFrom('dossiers').select('number').where('state', '=', 'en_instruction').where('deleted_at', 'is', null).execute()
    ).map((r) => r.number);
    await db.destroy();

    const run = capture();
    expect(await main(argv('dossier-jury'), run), run.err()).toBe(0);
    const dir = join(fx.dir, 'rapports');
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.pdf'));
    expect(file).toMatch(new RegExp(`^dossier-jury_d${fx.demarche}_aumg_\\d{4}-\\d{2}-\\d{2}_\\d{4}\\.pdf$`));
    const path = join(dir, file!);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    const doc = await PDFDocument.load(readFileSync(path), { throwOnInvalidObject: true });
    const outline = readOutline(doc);
    // « Sommaire », then one bookmark per candidate (the dossiers en instruction, by default).
    expect(outline[0]).toMatchObject({ title: 'Sommaire', page: 2 });
    const candidates = outline.slice(1);
    expect(candidates.map((b) => Number(/dossier n° (\d+)/.exec(b.title)?.[1])).sort()).toEqual([...inInstruction].sort());
    const tocPages = Math.ceil(inInstruction.length / 40);
    expect(candidates[0]!.page).toBe(2 + tocPages);
    for (const [i, candidate] of candidates.entries()) {
      const dossier = Number(/dossier n° (\d+)/.exec(candidate.title)?.[1]);
      expect(candidate.children[0]).toMatchObject({ title: 'Fiche de synthèse', page: candidate.page });
      const pieces = candidate.children.slice(1);
      // Pieces follow the programme's list.
      const ranks = pieces.map((p) => AUMG_PIECE_LABELS.findIndex((label) => p.title.startsWith(label)));
      expect(ranks.every((r) => r >= 0)).toBe(true);
      expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
      // Each PDF piece brings its own pages, an image one page.
      const next = candidates[i + 1]?.page ?? doc.getPageCount() + 1;
      pieces.forEach((p, k) => {
        const end = pieces[k + 1]?.page ?? next;
        const filename = p.title.split(' — ').at(-1)!;
        expect(end - p.page, `${dossier} ${filename}`).toBe(expectedPages.get(`${dossier}|${filename}`) ?? 1);
      });
      const excluded = [corrupted, ...truncated].filter((e) => e.dossier === dossier).map((e) => e.filename);
      for (const name of excluded)
        expect(
          pieces.some((p) => p.title.endsWith(` — ${name}`)),
          name,
        ).toBe(false);
    }
    expect(truncated.length).toBeGreaterThan(0);
    // One line for the démarche on stdout (the detail is on each candidate's summary page, read below).
    const summary = run
      .out()
      .split('\n')
      .filter((l) => /pièces? non incluses?/.test(l));
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatch(
      new RegExp(
        `^Démarche ${fx.demarche} : \\d+ pièces? non incluses? dans le dossier du jury, pour \\d+ dossiers? — .*1 en échec de téléchargement`,
      ),
    );
    expect(summary[0]).toMatch(/illisibles? ou de format non intégrable \(à ouvrir dans DS\)/);
    expect(run.out()).not.toContain(`Dossier ${corrupted.dossier}, pièce non incluse`);

    if (hasPoppler) {
      expect(execFileSync('pdfinfo', [path], { encoding: 'utf8' })).toMatch(new RegExp(`Pages:\\s+${doc.getPageCount()}\\n`));
      const cover = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', path, '-'], { encoding: 'utf8' });
      expect(cover).toContain('Dossier du jury');
      expect(cover).toMatch(/Édité le \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      expect(cover).toContain(plural(inInstruction.length, 'candidat'));
      const all = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
      expect(all).toContain(`pièce non incluse : ${corrupted.filename}, téléchargement en échec`);
      for (const t of truncated) expect(all).toContain(`pièce non incluse : ${t.filename}, PDF illisible`);
    }
  });

  it('gives each candidate’s page in the workbook written with the pack (report --dossier-jury)', async () => {
    const out = join(fx.dir, 'avec-classeur');
    const run = capture();
    expect(await main(argv('report', '--dossier-jury', '--out', out), run), run.err()).toBe(0);
    const pdf = readdirSync(out).find((f) => f.endsWith('.pdf'))!;
    const xlsx = readdirSync(out).find((f) => f.endsWith('.xlsx'))!;
    const outline = readOutline(await PDFDocument.load(readFileSync(join(out, pdf)))).slice(1);
    const pageOf = new Map(outline.map((b) => [Number(/dossier n° (\d+)/.exec(b.title)?.[1]), b.page]));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, xlsx));
    const sheet = workbook.getWorksheet('Dossiers')!;
    const headers = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const pageColumn = headers.indexOf('Page du dossier-jury');
    const numberColumn = headers.indexOf('N° dossier');
    expect(pageColumn).toBeGreaterThan(0);
    let seen = 0;
    sheet.eachRow((row, index) => {
      if (index === 1) return;
      const cell = row.getCell(numberColumn).value as { text?: string } | string;
      const dossier = Number(typeof cell === 'object' ? cell.text : cell);
      const page = row.getCell(pageColumn).value;
      expect(page ?? null, String(dossier)).toBe(pageOf.get(dossier) ?? null);
      if (page !== null) seen++;
    });
    expect(seen).toBe(pageOf.size);
  });

  it('splits by jury, filters by verdict, and reports a file altered since the download and a .docx', async () => {
    const db = await openDatabase(join(fx.dir, 'pack.sqlite'));
    const rows = await db
      .selectFrom('dossiers as d')
      .innerJoin('evaluations as e', 'e.dossier_number', 'd.number')
      .select(['d.number', 'd.groupe_instructeur_label', 'e.eligible'])
      .where('d.deleted_at', 'is', null)
      .execute();
    const selected = rows.filter((r) => r.eligible === 'oui' || r.eligible === 'a_verifier');
    // A downloaded file changed on disk since `sync --files`: no longer the candidate's piece.
    const altered = await db
      .selectFrom('files')
      .select(['dossier_number', 'filename', 'local_path'])
      .where('local_path', 'is not', null)
      .where(
        'dossier_number',
        'in',
        selected.map((r) => r.number),
      )
      .executeTakeFirstOrThrow();
    const docx = await db
      .selectFrom('files as f')
      .innerJoin('dossiers as d', 'd.number', 'f.dossier_number')
      .select(['f.dossier_number as dossier', 'f.filename'])
      .where('f.filename', 'like', '%.docx')
      .where('d.deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    await db.destroy();
    writeFileSync(altered.local_path!, Buffer.concat([readFileSync(altered.local_path!), Buffer.from('x')]));

    const out = join(fx.dir, 'par-jury');
    const run = capture();
    expect(
      await main(
        argv('dossier-jury', '--dossiers', 'tous', '--par', 'groupe', '--verdict', 'oui', '--verdict', 'a_verifier', '--out', out),
        run,
      ),
      run.err(),
    ).toBe(0);
    const groups = new Set(selected.map((r) => r.groupe_instructeur_label));
    const files = readdirSync(out).filter((f) => f.endsWith('.pdf'));
    expect(files).toHaveLength(groups.size);
    const numbers: number[] = [];
    for (const f of files) {
      const outline = readOutline(await PDFDocument.load(readFileSync(join(out, f)))).slice(1);
      numbers.push(...outline.map((b) => Number(/dossier n° (\d+)/.exec(b.title)?.[1])));
    }
    expect(numbers.sort()).toEqual(selected.map((r) => r.number).sort());
    // Every jury's pack of the démarche on one line; the altered copy is the only one to download again.
    expect(run.out()).toMatch(
      new RegExp(
        `Démarche ${fx.demarche} : \\d+ pièces? non incluses? .*1 absente ou altérée dans le dossier local \\(relancez « ds-ars sync --files »\\)`,
      ),
    );

    // The detail of each piece is in --json.
    const all = capture();
    expect(await main(argv('--json', 'dossier-jury', '--dossiers', 'tous', '--out', join(fx.dir, 'tous')), all), all.err()).toBe(0);
    const excluded = (
      JSON.parse(all.out()) as Array<{ packs: Array<{ excluded: Array<{ dossierNumber: number; filename: string; reason: string }> }> }>
    ).flatMap((i) => i.packs.flatMap((p) => p.excluded));
    expect(excluded.find((e) => e.dossierNumber === docx.dossier && e.filename === docx.filename)?.reason).toContain(
      'format .docx non intégrable',
    );
    expect(excluded.find((e) => e.dossierNumber === altered.dossier_number && e.filename === altered.filename)?.reason).toContain(
      'somme de contrôle différente de celle de DS',
    );
  });
});
