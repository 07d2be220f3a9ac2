import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { concatTransformationMatrix, drawObject, PDFDocument, PDFName, popGraphicsState, pushGraphicsState } from 'pdf-lib';
import { openDatabase } from '../src/db/database.ts';
import { seedDemarche, seedDossiers } from '../test/reports-fixtures.ts';
import { syntheticDossiers } from './report.bench.ts';
import type { BenchResult } from './types.ts';

const CANDIDATES = 300;
const DEMARCHE = 90_002;
const MAX_MS = 20_000;
const MAX_RSS_MB = 300;
// Six pieces per candidate, 8 pages in all: 300 × 8 = 2 400 pages of pieces.
const PAGES_PER_PIECE = [1, 1, 2, 1, 2, 1];
/** Side of the grey « scan » on each page: 384² bytes ≈ 144 Kio uncompressed per page. */
const SCAN_SIDE = 384;

export const PIECE_DESCRIPTORS = PAGES_PER_PIECE.map((_, i) => `piece-${i}`);

/** A PDF of `pages` pages, each holding an incompressible grey image (a scanned page). */
async function scannedPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([595, 842]);
    const image = doc.context.register(
      doc.context.stream(randomBytes(SCAN_SIDE * SCAN_SIDE), {
        Type: 'XObject',
        Subtype: 'Image',
        Width: SCAN_SIDE,
        Height: SCAN_SIDE,
        ColorSpace: 'DeviceGray',
        BitsPerComponent: 8,
      }),
    );
    page.node.setXObject(PDFName.of('Scan'), image);
    page.pushOperators(pushGraphicsState(), concatTransformationMatrix(400, 0, 0, 400, 97, 300), drawObject('Scan'), popGraphicsState());
    page.drawText(`Piece justificative - page ${p + 1} / ${pages}`, { x: 60, y: 800, size: 12 });
  }
  return Buffer.from(await doc.save());
}

/** Jury pack of 300 candidates × 6 PDF pieces, written in a child process: duration and peak RSS. */
export async function benchJuryPack(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ds-ars-bench-pack-'));
  try {
    const dbPath = join(dir, 'bench.sqlite');
    const db = await openDatabase(dbPath);
    await seedDemarche(db, DEMARCHE);
    const dossiers = syntheticDossiers(CANDIDATES).map((d) => ({ ...d, state: 'en_instruction' }));
    await seedDossiers(db, DEMARCHE, dossiers);
    // One file per page count, hard-linked for every piece: the pack reads and parses each one.
    const templates = new Map<number, { path: string; checksum: string; size: number }>();
    mkdirSync(join(dir, 'modeles'));
    for (const pages of new Set(PAGES_PER_PIECE)) {
      const bytes = await scannedPdf(pages);
      const path = join(dir, 'modeles', `${pages}.pdf`);
      writeFileSync(path, bytes);
      templates.set(pages, { path, checksum: createHash('md5').update(bytes).digest('base64'), size: bytes.length });
    }
    const rows = [];
    for (const d of dossiers) {
      mkdirSync(join(dir, 'fichiers', String(d.number)), { recursive: true });
      for (const [i, pages] of PAGES_PER_PIECE.entries()) {
        const template = templates.get(pages)!;
        const localPath = join(dir, 'fichiers', String(d.number), `piece-${i}.pdf`);
        linkSync(template.path, localPath);
        rows.push({
          dossier_number: d.number,
          champ_id: `${PIECE_DESCRIPTORS[i]}|${d.number}`,
          descriptor_id: PIECE_DESCRIPTORS[i]!,
          position: 0,
          filename: `piece-${i}.pdf`,
          content_type: 'application/pdf',
          byte_size: template.size,
          checksum: template.checksum,
          local_path: localPath,
        });
      }
    }
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('files')
        .values(rows.slice(i, i + 500))
        .execute();
    await db.destroy();

    const child = fileURLToPath(new URL('./jury-pack-child.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', child, dbPath, join(dir, 'out'), String(DEMARCHE)], {
      maxBuffer: 1 << 20,
    });
    const m = JSON.parse(stdout) as {
      ms: number;
      cpuMs: number;
      baseline: number;
      sampledPeak: number;
      maxRss: number;
      candidates: number;
      pages: number;
      bytes: number;
      excluded: number;
    };
    const peakMb = Math.max(m.sampledPeak, m.maxRss) / 2 ** 20;
    const fine = m.candidates === CANDIDATES && m.excluded === 0;
    return [
      {
        figure: `dossier du jury, ${m.candidates} candidats × 6 pièces PDF (${m.pages.toLocaleString('fr-FR')} pages) : durée`,
        target: `≤ ${MAX_MS} ms`,
        measured: m.ms,
        unit: 'ms',
        ok: m.ms <= MAX_MS && fine,
      },
      { figure: 'dossier du jury : temps CPU', target: `≤ ${MAX_MS} ms`, measured: m.cpuMs, unit: 'ms', ok: m.cpuMs <= MAX_MS },
      {
        figure: 'dossier du jury : pic de mémoire (RSS, processus dédié)',
        target: `≤ ${MAX_RSS_MB} Mo`,
        measured: peakMb,
        unit: 'Mo',
        ok: peakMb <= MAX_RSS_MB,
      },
      {
        figure: 'dossier du jury : taille du PDF (plus grande que la mémoire utilisée)',
        target: '—',
        measured: m.bytes / 2 ** 20,
        unit: 'Mo',
        ok: true,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
