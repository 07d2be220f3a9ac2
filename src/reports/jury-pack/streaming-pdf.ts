/**
 * A PDF written part by part to disk. pdf-lib keeps a whole document in memory until `save()`;
 * a jury pack of 300 candidates × 10 MB of pieces would not fit. Here each part (one candidate:
 * summary page and pieces) is a small pdf-lib document whose objects are numbered after the
 * previous parts' and written to the file as soon as it is done, then released. The page tree,
 * outline, catalog and cross-reference table are written at the end from the page references.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { type PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFStream, PDFString, type PDFObject } from 'pdf-lib';

export interface OutlineEntry {
  title: string;
  page: PDFRef;
  children?: OutlineEntry[];
}

// pdf-lib interns references by number: every part's page tree root is `2 0 R`, the pack's.
const CATALOG = PDFRef.of(1);
const PAGE_TREE = PDFRef.of(2);
const FIRST_FREE = 3;

export class StreamingPdfWriter {
  private readonly fd: number;
  private offset = 0;
  /** Byte offset of each object written, by object number. */
  private readonly offsets: number[] = [];
  private next = FIRST_FREE;
  private readonly frontPages: PDFRef[] = [];
  private readonly bodyPages: PDFRef[] = [];
  private closed = false;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);
  private buffered = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'wx', 0o600);
    // The binary comment tells transfer tools the file is not text.
    this.write(Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\n', 'latin1'));
  }

  /** Pages written so far in the body (front matter excluded). */
  get bodyPageCount(): number {
    return this.bodyPages.length;
  }

  /** A new empty part whose objects will not collide with those already written. */
  async newPart(): Promise<PDFDocument> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, this.next - 1);
    return doc;
  }

  /**
   * Writes a part's objects (its own catalog and page tree excepted) and returns its pages'
   * references in order. `front` parts (cover, contents) come before the body in the pack.
   */
  async writePart(doc: PDFDocument, options: { front?: boolean } = {}): Promise<PDFRef[]> {
    await doc.flush();
    const pages = doc.getPages().map((page) => {
      page.node.set(PDFName.of('Parent'), PAGE_TREE);
      return page.ref;
    });
    const skip = new Set<PDFRef>([doc.context.trailerInfo.Root as PDFRef, doc.catalog.get(PDFName.of('Pages')) as PDFRef]);
    for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
      if (skip.has(ref)) continue;
      this.writeObject(ref.objectNumber, object);
    }
    this.next = Math.max(this.next, doc.context.largestObjectNumber + 1);
    (options.front ? this.frontPages : this.bodyPages).push(...pages);
    return pages;
  }

  /**
   * Writes the outline (bookmarks), the page tree (front matter first), the catalog, the
   * document information and the cross-reference table, then closes the file.
   */
  async finish(info: { title: string; outline: readonly OutlineEntry[] }): Promise<{ pages: number }> {
    const doc = await this.newPart();
    const context = doc.context;
    const outlineRoot = this.outline(doc, info.outline);
    const kids = [...this.frontPages, ...this.bodyPages];
    const infoRef = context.register(
      context.obj({
        Title: PDFHexString.fromText(info.title),
        Producer: PDFHexString.fromText('ds-ars'),
        CreationDate: PDFString.of(pdfDate(new Date())),
      }),
    );
    await this.writePart(doc);
    const pageTree = context.obj({ Type: 'Pages', Kids: kids, Count: kids.length });
    this.writeObject(PAGE_TREE.objectNumber, pageTree);
    const catalog = context.obj({ Type: 'Catalog', Pages: PAGE_TREE, PageMode: outlineRoot ? 'UseOutlines' : 'UseNone' });
    if (outlineRoot) catalog.set(PDFName.of('Outlines'), outlineRoot);
    this.writeObject(CATALOG.objectNumber, catalog);
    this.writeTrailer(infoRef);
    this.flushBuffer();
    closeSync(this.fd);
    this.closed = true;
    return { pages: kids.length };
  }

  /** Closes the file without finishing it (the caller removes it). */
  abort(): void {
    if (this.closed) return;
    closeSync(this.fd);
    this.closed = true;
  }

  private outline(doc: PDFDocument, entries: readonly OutlineEntry[]): PDFRef | null {
    if (entries.length === 0) return null;
    const context = doc.context;
    const root = context.nextRef();
    const count = this.outlineLevel(doc, root, entries);
    context.assign(root, context.obj({ Type: 'Outlines', First: count.first, Last: count.last, Count: count.total }));
    return root;
  }

  /** Items of one level under `parent`; returns the first and last items and the visible count. */
  private outlineLevel(doc: PDFDocument, parent: PDFRef, entries: readonly OutlineEntry[]): { first: PDFRef; last: PDFRef; total: number } {
    const context = doc.context;
    const refs = entries.map(() => context.nextRef());
    const total = entries.length;
    entries.forEach((entry, i) => {
      const ref = refs[i] as PDFRef;
      const dict: PDFDict = context.obj({
        Title: PDFHexString.fromText(entry.title),
        Parent: parent,
        Dest: [entry.page, 'Fit'],
      });
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1] as PDFRef);
      if (i < refs.length - 1) dict.set(PDFName.of('Next'), refs[i + 1] as PDFRef);
      if (entry.children && entry.children.length > 0) {
        const sub = this.outlineLevel(doc, ref, entry.children);
        dict.set(PDFName.of('First'), sub.first);
        dict.set(PDFName.of('Last'), sub.last);
        // Negative: the candidate's pieces start collapsed, the list of candidates stays short.
        dict.set(PDFName.of('Count'), PDFNumber.of(-sub.total));
      }
      context.assign(ref, dict);
    });
    return { first: refs[0] as PDFRef, last: refs[refs.length - 1] as PDFRef, total };
  }

  private writeObject(objectNumber: number, object: PDFObject): void {
    this.offsets[objectNumber] = this.offset;
    this.write(Buffer.from(`${objectNumber} 0 obj\n`, 'latin1'));
    if (object instanceof PDFStream) {
      // pdf-lib copies a stream's bytes one by one; a scan's megabytes go out as they are.
      object.updateDict();
      this.write(serialize(object.dict));
      this.write(Buffer.from('\nstream\n', 'latin1'));
      this.write(object.getContents());
      this.write(Buffer.from('\nendstream', 'latin1'));
    } else {
      this.write(serialize(object));
    }
    this.write(Buffer.from('\nendobj\n', 'latin1'));
  }

  private writeTrailer(info: PDFRef): void {
    const size = this.offsets.length;
    const start = this.offset;
    const lines = [`xref\n0 ${size}\n`, '0000000000 65535 f \n'];
    for (let n = 1; n < size; n++) {
      const at = this.offsets[n];
      lines.push(at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`);
    }
    lines.push(`trailer\n<< /Size ${size} /Root ${CATALOG.toString()} /Info ${info.toString()} >>\nstartxref\n${start}\n%%EOF\n`);
    this.write(Buffer.from(lines.join(''), 'latin1'));
  }

  /** Small writes gather in a buffer (one system call per MiB); large ones go straight through. */
  private write(bytes: Uint8Array): void {
    this.offset += bytes.length;
    if (this.buffered + bytes.length > this.buffer.length) this.flushBuffer();
    if (bytes.length >= this.buffer.length) {
      this.writeAll(bytes);
      return;
    }
    this.buffer.set(bytes, this.buffered);
    this.buffered += bytes.length;
  }

  private flushBuffer(): void {
    if (this.buffered === 0) return;
    this.writeAll(this.buffer.subarray(0, this.buffered));
    this.buffered = 0;
  }

  private writeAll(bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }
}

function serialize(object: PDFObject): Uint8Array {
  const bytes = new Uint8Array(object.sizeInBytes());
  object.copyBytesInto(bytes, 0);
  return bytes;
}

/** `D:YYYYMMDDHHmmSSZ`, the PDF date format. */
function pdfDate(at: Date): string {
  return `D:${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}
