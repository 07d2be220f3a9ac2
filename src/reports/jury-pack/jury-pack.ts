/**
 * The jury pack: one PDF per démarche (or per jury) with a cover page, a table of contents, and
 * for each candidate a summary page followed by the pieces of the dossier. Written candidate by
 * candidate (see streaming-pdf.ts), so memory holds one candidate's files at a time.
 */
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { PDFDocument, PDFPage, PDFRef } from 'pdf-lib';
import type { Db } from '../../db/database.ts';
import { AppError, toError } from '../../errors.ts';
import { getProgramme } from '../../domain/programmes/index.ts';
import { dossierUrl } from '../dossier-url.ts';
import { completLabel, eligibleLabel, frenchDate, parisStamp, SEVERITY_LABELS, stateLabel } from '../../shared/french-format.ts';
import { parisDateTime } from '../../shared/paris-time.ts';
import { ensurePrivateDir, freePath } from '../output-files.ts';
import { candidateName, fieldText, ORDRE_PRIORITE_KEY } from '../report-columns.ts';
import { loadReportData, type DossierReportRow, type FindingReportRow, type ReportData, type ReportDemarche } from '../report-data.ts';
import {
  candidatePieces,
  juryDimension,
  selectCandidates,
  splitByJury,
  verdictOf,
  type CandidateFilter,
  type PackSplit,
  type PackVerdict,
} from './pack-candidates.ts';
import { A4, addLink, drawFooter, embedFonts, MARGIN, PageComposer, stampFooter, winAnsiText, type Fonts } from './page-composer.ts';
import { loadPiece, type ExclusionCause, type LoadedPiece } from './piece-file.ts';
import { StreamingPdfWriter, type OutlineEntry } from './streaming-pdf.ts';
import { agree, plural } from '../../shared/plural.ts';

export interface JuryPackOptions {
  demarche: ReportDemarche;
  uiBaseUrl: string;
  /** Private folder for the files (created 0700 if missing). */
  outDir: string;
  filter: CandidateFilter;
  /** One pack per spécialité or per groupe instructeur. */
  split?: PackSplit | undefined;
  now?: Date | undefined;
  /** Called after each candidate is written. */
  onProgress?: ((event: { jury: string | null; done: number; total: number }) => void) | undefined;
}

export interface ExcludedPiece {
  dossierNumber: number;
  filename: string;
  reason: string;
  cause: ExclusionCause;
}

export interface JuryPackFile {
  path: string;
  jury: string | null;
  candidates: number;
  pages: number;
  excluded: ExcludedPiece[];
}

export interface JuryPackResult {
  demarcheNumber: number;
  packs: JuryPackFile[];
  /** First page of each candidate in its pack (the workbook's « Page du dossier-jury »). */
  pageByDossier: Map<number, { file: string; page: number }>;
}

export const TOC_LINES_PER_PAGE = 40;

const VERDICT_LABELS: Record<PackVerdict, string> = {
  oui: 'Éligible',
  non: 'Non éligible',
  a_verifier: 'À vérifier',
  non_evalue: 'Non évalué',
};

/** `dossier-jury_d12345_aumg[_<jury>]_2026-11-27_0312` (Paris time). */
function packBaseName(demarche: ReportDemarche, jury: string | null, now: Date): string {
  const slug =
    jury === null
      ? ''
      : `_${
          jury
            .normalize('NFKD')
            .replace(/[^\w-]+/g, '-')
            .replace(/^-+|-+$/g, '')
            .slice(0, 40) || 'jury'
        }`;
  return `dossier-jury_d${demarche.number}_${demarche.programme}${slug}_${parisStamp(now)}`;
}

/** Writes the pack(s) of one démarche. A piece that cannot be shown is listed, never fatal. */
export async function writeJuryPacks(db: Db, options: JuryPackOptions): Promise<JuryPackResult> {
  const now = options.now ?? new Date();
  const data = await loadReportData(db, options.demarche);
  const candidates = selectCandidates(data, options.filter);
  ensurePrivateDir(options.outDir);
  const result: JuryPackResult = { demarcheNumber: options.demarche.number, packs: [], pageByDossier: new Map() };
  for (const { jury, rows } of splitByJury(data, candidates, options.split)) {
    const path = freePath(options.outDir, packBaseName(options.demarche, jury, now), 'pdf');
    const partial = join(options.outDir, `.${randomUUID()}.pdf.part`);
    try {
      const file = await writeOnePack(db, data, rows, { ...options, now, jury, path: partial });
      renameSync(partial, path);
      result.packs.push({ ...file, path });
      for (const [dossier, page] of file.firstPages) result.pageByDossier.set(dossier, { file: basename(path), page });
    } catch (error) {
      rmSync(partial, { force: true });
      throw new AppError(
        'workbook',
        `Le dossier du jury de la démarche ${options.demarche.number}${jury ? ` (${jury})` : ''} n’a pas pu être écrit dans « ${options.outDir} » : ${toError(error).message}. Vérifiez le dossier de sortie (--out) et l’espace disque.`,
        { cause: error },
      );
    }
  }
  return result;
}

interface PackContext extends JuryPackOptions {
  now: Date;
  jury: string | null;
  path: string;
}

async function writeOnePack(
  db: Db,
  data: ReportData,
  rows: readonly DossierReportRow[],
  ctx: PackContext,
): Promise<Omit<JuryPackFile, 'path'> & { firstPages: Map<number, number> }> {
  const writer = new StreamingPdfWriter(ctx.path);
  try {
    const tocPages = Math.max(1, Math.ceil(rows.length / TOC_LINES_PER_PAGE));
    const front = 1 + tocPages;
    const title = data.title ?? ctx.demarche.libelle ?? `Démarche ${ctx.demarche.number}`;
    const findingsByDossier = new Map<number, FindingReportRow[]>();
    for (const f of data.findings) findingsByDossier.set(f.dossierNumber, [...(findingsByDossier.get(f.dossierNumber) ?? []), f]);
    const outline: OutlineEntry[] = [];
    const toc: Array<{ row: DossierReportRow; page: number; ref: PDFRef }> = [];
    const excluded: ExcludedPiece[] = [];
    const firstPages = new Map<number, number>();
    for (const [i, row] of rows.entries()) {
      const firstPage = front + writer.bodyPageCount + 1;
      const written = await writeCandidate(db, writer, row, findingsByDossier.get(row.number) ?? [], { ...ctx, title, firstPage });
      excluded.push(...written.excluded.map((e) => ({ dossierNumber: row.number, ...e })));
      outline.push(written.outline);
      toc.push({ row, page: firstPage, ref: written.outline.page });
      firstPages.set(row.number, firstPage);
      ctx.onProgress?.({ jury: ctx.jury, done: i + 1, total: rows.length });
    }
    const frontRefs = await writeFrontMatter(writer, data, toc, { ...ctx, title, tocPages });
    const { pages } = await writer.finish({
      title: `Dossier du jury — ${title}${ctx.jury ? ` — ${ctx.jury}` : ''}`,
      outline: [{ title: 'Sommaire', page: frontRefs[1] ?? (frontRefs[0] as PDFRef) }, ...outline],
    });
    return { jury: ctx.jury, candidates: rows.length, pages, excluded, firstPages };
  } catch (error) {
    writer.abort();
    throw error;
  }
}

/** The démarche's title in DS already names the programme; the programme's title otherwise. */
function subtitle(ctx: PackContext & { title: string }): string {
  return ctx.title.startsWith('Démarche ') ? getProgramme(ctx.demarche.programme).title : ctx.title;
}

function candidateTitle(row: DossierReportRow): string {
  const { nom, prenom } = candidateName(row);
  const name = [nom.toUpperCase(), prenom].filter((s) => s !== '').join(' ') || 'Candidat sans nom';
  return `${name} — dossier n° ${row.number}`;
}

async function writeCandidate(
  db: Db,
  writer: StreamingPdfWriter,
  row: DossierReportRow,
  findings: readonly FindingReportRow[],
  ctx: PackContext & { title: string; firstPage: number },
): Promise<{ outline: OutlineEntry; excluded: Array<Omit<ExcludedPiece, 'dossierNumber'>> }> {
  const doc = await writer.newPart();
  const fonts = await embedFonts(doc);
  const pieces = await candidatePieces(db, ctx.demarche, row.number);
  // One candidate's files are in memory together, then released with the part.
  const loaded: Array<{ label: string; filename: string; piece: LoadedPiece }> = [];
  for (const p of pieces) loaded.push({ label: p.label, filename: p.filename, piece: await loadPiece(p) });

  const summary = new PageComposer(doc, fonts);
  // The summary is written once the pieces are appended, so that a PDF pdf-lib opens but cannot
  // copy is still reported on it; reorderPages then puts the summary's pages first.
  const appended: Array<{ title: string; pages: PDFPage[] }> = [];
  const excluded: Array<Omit<ExcludedPiece, 'dossierNumber'>> = [];
  for (const entry of loaded) {
    if (entry.piece.kind === 'excluded') {
      excluded.push({ filename: entry.filename, reason: entry.piece.reason, cause: entry.piece.cause });
      continue;
    }
    try {
      appended.push({ title: `${entry.label} — ${entry.filename}`, pages: await appendPiece(doc, entry.piece) });
    } catch {
      excluded.push({
        filename: entry.filename,
        reason: entry.piece.kind === 'pdf' ? 'PDF illisible (fichier tronqué ou endommagé)' : 'image illisible',
        cause: 'not_embeddable',
      });
    }
  }
  const included = appended;
  drawSummary(summary, row, findings, loaded.length, excluded, ctx);

  // Final order in the part: summary pages, then each piece's pages.
  const summaryPages = summary.pages;
  const piecePages = included.flatMap((p) => p.pages);
  reorderPages(doc, [...summaryPages, ...piecePages]);
  let page = ctx.firstPage;
  for (const p of summaryPages) drawFooter(p, `Dossier du jury — dossier n° ${row.number} — page ${page++}`, fonts.regular);
  for (const p of piecePages) stampFooter(doc, p, `Dossier du jury — dossier n° ${row.number} — page ${page++}`, fonts.regular);

  await writer.writePart(doc);
  const first = summaryPages[0] as PDFPage;
  return {
    outline: {
      title: candidateTitle(row),
      page: first.ref,
      children: [
        { title: 'Fiche de synthèse', page: first.ref },
        ...included.map((p) => ({ title: p.title, page: (p.pages[0] as PDFPage).ref })),
      ],
    },
    excluded,
  };
}

async function appendPiece(doc: PDFDocument, piece: Exclude<LoadedPiece, { kind: 'excluded' }>): Promise<PDFPage[]> {
  if (piece.kind === 'pdf') {
    const copies = await doc.copyPages(piece.doc, piece.doc.getPageIndices());
    return copies.map((p) => doc.addPage(p));
  }
  const image = piece.kind === 'jpeg' ? await doc.embedJpg(piece.bytes) : await doc.embedPng(piece.bytes);
  const page = doc.addPage(A4);
  const box = { width: A4[0] - 2 * MARGIN, height: A4[1] - 2 * MARGIN - 20 };
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const [width, height] = [image.width * scale, image.height * scale];
  page.drawImage(image, { x: (A4[0] - width) / 2, y: MARGIN + 20 + (box.height - height) / 2, width, height });
  return [page];
}

/** Puts the part's pages in `order` (pdf-lib adds pages at the end; the summary comes first). */
function reorderPages(doc: PDFDocument, order: readonly PDFPage[]): void {
  for (let i = doc.getPageCount() - 1; i >= 0; i--) doc.removePage(i);
  for (const page of order) doc.addPage(page);
}

function drawSummary(
  c: PageComposer,
  row: DossierReportRow,
  findings: readonly FindingReportRow[],
  pieceCount: number,
  excluded: ReadonlyArray<{ filename: string; reason: string }>,
  ctx: PackContext & { title: string },
): void {
  c.paragraph(candidateTitle(row), { size: 16, bold: true, after: 4 });
  c.paragraph(subtitle(ctx), { size: 9, grey: true, after: 10 });
  const { nom, prenom } = candidateName(row);
  c.field('Candidat', [prenom, nom].filter((s) => s !== '').join(' '));
  c.field('État du dossier', `${stateLabel(row.state)} (déposé le ${frenchDate(row.dateDepot)})`);
  c.field('Groupe instructeur', row.groupe ?? '');
  c.field('Université', fieldText(row, 'universite.nom'));
  c.field('Structure', fieldText(row, 'structure.nom') || fieldText(row, 'etablissement.nom'));
  c.field('Zone', fieldText(row, 'structure.zone'));
  const specialite = fieldText(row, 'specialite') || fieldText(row, 'candidat.specialite_des');
  if (specialite) c.field('Spécialité', specialite);
  c.field('Ordre de priorité', fieldText(row, ORDRE_PRIORITE_KEY));
  c.space(6);
  const evaluation = row.evaluation;
  c.field('Éligibilité', evaluation ? eligibleLabel(evaluation.eligible) : eligibleLabel(null));
  c.field('Dossier complet', completLabel(evaluation ? evaluation.complet : null));
  if (evaluation) c.field('Anomalies', `${plural(evaluation.bloquants, 'bloquante')}, ${plural(evaluation.alertes, 'alerte')}`);
  c.link('Dossier dans démarches-simplifiées', dossierUrl(ctx.uiBaseUrl, ctx.demarche.number, row.number));
  c.space(10);
  c.paragraph('Constats de l’instruction', { size: 12, bold: true, after: 2 });
  // Notes « info » (a rule that could not run for want of a mapping) are for instructors, not the jury.
  const shown = findings.filter((f) => f.severity !== 'info');
  if (shown.length === 0) c.paragraph('Aucune anomalie relevée.', { grey: true });
  for (const f of shown) {
    const where = f.champLabel ? ` (${f.champLabel})` : '';
    c.paragraph(`• ${SEVERITY_LABELS[f.severity] ?? f.severity}${where} : ${f.message}`, { indent: 8 });
  }
  c.space(10);
  c.paragraph('Pièces du dossier', { size: 12, bold: true, after: 2 });
  c.paragraph(
    pieceCount === 0
      ? 'Aucune pièce jointe dans le miroir.'
      : `${pieceCount - excluded.length} ${agree(pieceCount, 'pièce')} sur ${pieceCount} ${agree(pieceCount - excluded.length, 'incluse', 'incluses')} à la suite de cette fiche.`,
    { grey: true },
  );
  for (const e of excluded) c.paragraph(`• pièce non incluse : ${e.filename}, ${e.reason}`, { indent: 8 });
}

async function writeFrontMatter(
  writer: StreamingPdfWriter,
  data: ReportData,
  toc: ReadonlyArray<{ row: DossierReportRow; page: number; ref: PDFRef }>,
  ctx: PackContext & { title: string; tocPages: number },
): Promise<PDFRef[]> {
  const doc = await writer.newPart();
  const fonts = await embedFonts(doc);
  drawCover(
    doc,
    fonts,
    toc.map((t) => t.row),
    ctx,
  );
  drawContents(doc, fonts, data, toc, ctx);
  doc.getPages().forEach((p, i) => {
    drawFooter(p, `Dossier du jury — page ${i + 1}`, fonts.regular);
  });
  return writer.writePart(doc, { front: true });
}

function drawCover(doc: PDFDocument, fonts: Fonts, rows: readonly DossierReportRow[], ctx: PackContext & { title: string }): void {
  const c = new PageComposer(doc, fonts);
  c.space(120);
  c.paragraph('Dossier du jury', { size: 28, bold: true, after: 16 });
  c.paragraph(ctx.title, { size: 16, after: 6 });
  c.paragraph(`Démarche n° ${ctx.demarche.number} — ${getProgramme(ctx.demarche.programme).title}`, { size: 11, after: 4 });
  if (ctx.demarche.libelle && ctx.demarche.libelle !== ctx.title) c.paragraph(`Session : ${ctx.demarche.libelle}`, { size: 11, after: 4 });
  if (ctx.jury) c.paragraph(`Jury : ${ctx.jury}`, { size: 11, bold: true, after: 4 });
  c.paragraph(`Édité le ${parisDateTime(ctx.now.toISOString()).replace(' à ', ' ')}`, { size: 11, after: 24 });
  const scope = ctx.filter.scope === 'tous' ? 'tous les dossiers en cours et traités' : 'dossiers en instruction';
  const verdicts =
    ctx.filter.verdicts && ctx.filter.verdicts.length > 0
      ? ` ; éligibilité : ${ctx.filter.verdicts.map((v) => VERDICT_LABELS[v]).join(', ')}`
      : '';
  c.paragraph(`${plural(rows.length, 'candidat')} (${scope}${verdicts})`, { size: 12, bold: true, after: 6 });
  const counts = new Map<PackVerdict, number>();
  for (const row of rows) counts.set(verdictOf(row), (counts.get(verdictOf(row)) ?? 0) + 1);
  for (const verdict of ['oui', 'a_verifier', 'non', 'non_evalue'] as const)
    c.field(VERDICT_LABELS[verdict], String(counts.get(verdict) ?? 0));
  c.space(24);
  c.paragraph(
    'Document confidentiel : il contient des données personnelles des candidats, réservées aux membres du jury. Ne pas diffuser ; détruire après la séance.',
    { size: 9, grey: true },
  );
}

function drawContents(
  doc: PDFDocument,
  fonts: Fonts,
  data: ReportData,
  toc: ReadonlyArray<{ row: DossierReportRow; page: number; ref: PDFRef }>,
  ctx: PackContext & { tocPages: number },
): void {
  const dimension = juryDimension(data.demarche, ctx.split);
  const size = 9;
  const leading = 16.5;
  for (let p = 0; p < ctx.tocPages; p++) {
    const page = doc.addPage(A4);
    let y = A4[1] - MARGIN;
    page.drawText(p === 0 ? 'Sommaire' : 'Sommaire (suite)', { x: MARGIN, y: y - 18, size: 18, font: fonts.bold });
    y -= 44;
    const columns = [MARGIN, MARGIN + 48, MARGIN + 270, MARGIN + 350];
    const header = ['Dossier', 'Candidat', 'Éligibilité', dimension?.label ?? ''];
    header.forEach((h, i) => {
      page.drawText(winAnsiText(h), { x: columns[i] as number, y, size, font: fonts.bold });
    });
    page.drawText('Page', { x: A4[0] - MARGIN - fonts.bold.widthOfTextAtSize('Page', size), y, size, font: fonts.bold });
    y -= leading;
    if (toc.length === 0)
      page.drawText(winAnsiText('Aucun dossier ne correspond à la sélection.'), { x: MARGIN, y, size, font: fonts.regular });
    for (const entry of toc.slice(p * TOC_LINES_PER_PAGE, (p + 1) * TOC_LINES_PER_PAGE)) {
      const { nom, prenom } = candidateName(entry.row);
      const cells = [
        String(entry.row.number),
        [nom.toUpperCase(), prenom].filter((s) => s !== '').join(' '),
        VERDICT_LABELS[verdictOf(entry.row)],
        dimension ? fieldOrGroup(entry.row, dimension.keys) : '',
      ];
      cells.forEach((text, i) => {
        const max = (i < 3 ? (columns[i + 1] as number) : A4[0] - MARGIN - 30) - (columns[i] as number) - 6;
        page.drawText(fitText(winAnsiText(text), fonts, size, max), { x: columns[i] as number, y, size, font: fonts.regular });
      });
      const pageText = String(entry.page);
      page.drawText(pageText, { x: A4[0] - MARGIN - fonts.regular.widthOfTextAtSize(pageText, size), y, size, font: fonts.regular });
      addLink(doc, page, [MARGIN, y - 3, A4[0] - MARGIN, y + size + 2], { page: entry.ref });
      y -= leading;
    }
  }
}

function fieldOrGroup(row: DossierReportRow, keys: readonly string[]): string {
  if (keys.length === 0) return row.groupe ?? '';
  for (const key of keys) {
    const text = fieldText(row, key);
    if (text) return text;
  }
  return '';
}

/** Cuts `text` with « … » to fit `width`. */
function fitText(text: string, fonts: Fonts, size: number, width: number): string {
  if (fonts.regular.widthOfTextAtSize(text, size) <= width) return text;
  let cut = text.length;
  while (cut > 1 && fonts.regular.widthOfTextAtSize(`${text.slice(0, cut)}…`, size) > width) cut--;
  return `${text.slice(0, cut)}…`;
}
