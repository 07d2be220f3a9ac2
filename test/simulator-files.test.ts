import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { fileIdentity, isTruncatedPdf, pdfPageCount } from '../src/simulator/files.ts';
import { startSimulator, type RunningSimulator } from '../src/simulator/index.ts';
import { gql, GET_DOSSIER } from './simulator-helpers.ts';

interface FileNode {
  filename: string;
  contentType: string;
  checksum: string;
  byteSizeBigInt: string;
  url: string;
}

describe('simulator: pieces justificatives', () => {
  let sim: RunningSimulator;
  let number: number;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 4, programmes: ['aumg'], dossiersPerDemarche: 40, rateLimitPerMinute: 0 });
    number = sim.demarches[0]!.number;
  });
  afterAll(() => sim.close());

  const filesOf = async (dossierNumber: number): Promise<Array<FileNode & { champ: string; champDescriptorId: string }>> => {
    const { json } = await gql(sim, GET_DOSSIER, { number: dossierNumber });
    return json.data.dossier.champs
      .filter((c: { __typename: string }) => c.__typename === 'PieceJustificativeChamp')
      .flatMap((c: { label: string; champDescriptorId: string; files: FileNode[] }) =>
        c.files.map((f) => ({ ...f, champ: c.label, champDescriptorId: c.champDescriptorId })),
      );
  };
  const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('base64');

  it('serves valid PDFs whose bytes match the DS checksum (base64 MD5) and byte size', async () => {
    const valid = sim.store.listDossiers(number).find((d) => d.scenario === 'valide' && d.state === 'en_construction')!;
    const files = await filesOf(valid.number);
    expect(files.length).toBeGreaterThanOrEqual(6);
    const before = sim.stats.fileDownloads;
    for (const f of files) {
      const res = await fetch(f.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(f.contentType);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(md5(bytes)).toBe(f.checksum);
      expect(String(bytes.length)).toBe(f.byteSizeBigInt);
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const identity = identityOf(f.url);
      if (isTruncatedPdf(identity)) continue;
      expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
      const pdf = await PDFDocument.load(bytes, { throwOnInvalidObject: true });
      expect(pdf.getPageCount()).toBe(pdfPageCount(identity));
    }
    expect(sim.stats.fileDownloads).toBe(before + files.length);
  });

  const identityOf = (url: string): string => {
    const [, number, stableId, index] = /\/files\/(\d+)\/(\d+)\/(\d+)\//.exec(new URL(url).pathname) ?? [];
    return fileIdentity(Number(number), Number(stableId), Number(index));
  };

  it('serves PDFs of one to three pages, and now and then one cut short that no reader opens', async () => {
    const pages = new Set<number>();
    let truncated = 0;
    for (const d of sim.store.listDossiers(number)) {
      const { json } = await gql(sim, GET_DOSSIER, { number: d.number });
      if (!json.data?.dossier) continue; // not visible to the API (brouillon, deleted)
      for (const f of await filesOf(d.number)) {
        if (f.contentType !== 'application/pdf' || !f.filename.toLowerCase().endsWith('.pdf')) continue;
        const bytes = Buffer.from(await (await fetch(f.url)).arrayBuffer());
        try {
          pages.add((await PDFDocument.load(bytes, { throwOnInvalidObject: true })).getPageCount());
        } catch {
          truncated++;
          expect(isTruncatedPdf(identityOf(f.url))).toBe(true);
          expect(bytes.toString('latin1').includes('%%EOF')).toBe(false);
        }
      }
    }
    expect([...pages].sort()).toEqual([1, 2, 3]);
    expect(truncated).toBeGreaterThan(0);
  });

  it('serves real JPEG and PNG scans (a PDF writer can place them on a page)', async () => {
    const multi = sim.store.listDossiers(number).find((d) => d.scenario === 'piece_plusieurs_fichiers_dont_jpg')!;
    const jpg = (await filesOf(multi.number)).find((f) => f.filename.endsWith('.jpg'))!;
    const jpeg = Buffer.from(await (await fetch(jpg.url)).arrayBuffer());
    const doc = await PDFDocument.create();
    const image = await doc.embedJpg(jpeg);
    expect(image.width).toBeGreaterThan(50);
    const { fileBytes } = await import('../src/simulator/files.ts');
    const png = fileBytes({ filename: 'scan_diplomes.png', contentType: 'image/png' }, '1-2-0').bytes;
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect((await doc.embedPng(png)).height).toBeGreaterThan(50);
  });

  it('holds non-PDF pieces, including a .pdf name with an image/jpeg type', async () => {
    const nonPdf = sim.store.listDossiers(number).find((d) => d.scenario === 'piece_non_pdf')!;
    const docx = (await filesOf(nonPdf.number)).find((f) => f.filename.endsWith('.docx'))!;
    expect(docx.contentType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const bytes = Buffer.from(await (await fetch(docx.url)).arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const lying = sim.store.listDossiers(number).find((d) => d.scenario === 'piece_pdf_type_incoherent')!;
    const cv = (await filesOf(lying.number)).find((f) => f.filename === 'CV.pdf')!;
    expect(cv.contentType).toBe('image/jpeg');
    const jpeg = Buffer.from(await (await fetch(cv.url)).arrayBuffer());
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(md5(jpeg)).toBe(cv.checksum);
  });

  it('serves corrupted bytes after corruptFile while the checksum stays the same', async () => {
    const d = sim.store.listDossiers(number).find((x) => x.scenario === 'valide' && x.state === 'en_instruction')!;
    const cv = (await filesOf(d.number)).find((f) => f.champ === 'Curriculum vitae')!;
    sim.store.corruptFile(d.number, cv.champDescriptorId);
    const again = (await filesOf(d.number)).find((f) => f.champ === 'Curriculum vitae')!;
    expect(again.checksum).toBe(cv.checksum);
    const bytes = Buffer.from(await (await fetch(again.url)).arrayBuffer());
    expect(md5(bytes)).not.toBe(cv.checksum);
  });

  it('refuses expired or tampered URLs with 403', async () => {
    const d = sim.store.listDossiers(number).find((x) => x.scenario === 'valide' && x.state === 'accepte')!;
    const [file] = await filesOf(d.number);
    const tampered = file!.url.replace(/sig=[^&]+/, 'sig=AAAA');
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(file!.url)).status).toBe(200);
    sim.store.advanceClock(3_601_000);
    expect((await fetch(file!.url)).status).toBe(403);
    const fresh = await filesOf(d.number);
    expect((await fetch(fresh[0]!.url)).status).toBe(200);
  });
});
