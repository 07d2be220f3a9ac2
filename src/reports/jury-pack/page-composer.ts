/**
 * Text pages of the jury pack (cover, contents, candidate summaries) drawn with pdf-lib's standard
 * Helvetica: lines wrap to the page width and flow onto a new page when the page is full.
 */
import {
  degrees,
  drawText,
  PDFArray,
  PDFContentStream,
  PDFName,
  type PDFRef,
  PDFString,
  StandardFonts,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  type PDFDocument,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';

export const A4: [number, number] = [595.28, 841.89];
export const MARGIN = 56;
const FOOTER_Y = 28;

// Characters of WinAnsiEncoding above Latin-1's printable ASCII (Helvetica's standard encoding in PDF).
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Text Helvetica can show: typographic spaces and dashes folded, other characters without accents or « ? ». */
export function winAnsiText(text: string): string {
  let out = '';
  for (const ch of text
    .replace(/[\u00a0\u202f\u2009\u2007]/g, ' ')
    .replace(/[\u2010\u2011\u2012]/g, '-')
    .replace(/[\r\n\t]+/g, ' ')) {
    const code = ch.codePointAt(0) ?? 0x3f;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else {
      const folded = ch.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
      out += folded === '' ? '?' : folded;
    }
  }
  return out;
}

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export async function embedFonts(doc: PDFDocument): Promise<Fonts> {
  return { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
}

/** Splits `text` into lines no wider than `width` (a word longer than a line is cut). */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of winAnsiText(text).split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = word;
    while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  indent?: number;
  grey?: boolean;
  /** Space after the paragraph, in points. */
  after?: number;
}

/** Writes flowing text on A4 pages of one part; `pages` lists every page it opened. */
export class PageComposer {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;

  constructor(
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  get current(): PDFPage {
    return this.page;
  }

  get cursor(): number {
    return this.y;
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN;
  }

  /** Makes room for `height` points, on a new page if needed. */
  ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  space(points: number): void {
    this.y -= points;
  }

  paragraph(text: string, style: TextStyle = {}): void {
    const size = style.size ?? 10;
    const font = style.bold ? this.fonts.bold : this.fonts.regular;
    const indent = style.indent ?? 0;
    const leading = size * 1.3;
    for (const line of wrapText(text, font, size, A4[0] - 2 * MARGIN - indent)) {
      this.ensure(leading);
      this.y -= leading;
      this.page.drawText(line, {
        x: MARGIN + indent,
        y: this.y + size * 0.25,
        size,
        font,
        color: style.grey ? rgb(0.35, 0.35, 0.35) : rgb(0, 0, 0),
      });
    }
    this.y -= style.after ?? 0;
  }

  /** A label in bold then its value, on one line when it fits. */
  field(label: string, value: string): void {
    const size = 10;
    const labelText = winAnsiText(`${label} : `);
    const labelWidth = this.fonts.bold.widthOfTextAtSize(labelText, size);
    const lines = wrapText(value === '' ? '—' : value, this.fonts.regular, size, A4[0] - 2 * MARGIN - labelWidth);
    lines.forEach((line, i) => {
      this.ensure(size * 1.3);
      this.y -= size * 1.3;
      if (i === 0) this.page.drawText(labelText, { x: MARGIN, y: this.y + size * 0.25, size, font: this.fonts.bold });
      this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y + size * 0.25, size, font: this.fonts.regular });
    });
  }

  /** A clickable web link (the DS dossier). */
  link(label: string, url: string): void {
    const size = 10;
    const text = winAnsiText(`${label} : ${url}`);
    const lines = wrapText(text, this.fonts.regular, size, A4[0] - 2 * MARGIN);
    for (const line of lines) {
      this.ensure(size * 1.3);
      this.y -= size * 1.3;
      this.page.drawText(line, { x: MARGIN, y: this.y + size * 0.25, size, font: this.fonts.regular, color: rgb(0, 0.2, 0.6) });
      const width = this.fonts.regular.widthOfTextAtSize(line, size);
      addLink(this.doc, this.page, [MARGIN, this.y, MARGIN + width, this.y + size * 1.2], { uri: url });
    }
  }
}

/** A link annotation: to a web address or to a page of the pack. */
export function addLink(
  doc: PDFDocument,
  page: PDFPage,
  rect: [number, number, number, number],
  target: { uri: string } | { page: PDFRef },
): void {
  const context = doc.context;
  const action = 'uri' in target ? { A: { Type: 'Action', S: 'URI', URI: PDFString.of(target.uri) } } : { Dest: [target.page, 'Fit'] };
  const annotation = context.register(context.obj({ Type: 'Annot', Subtype: 'Link', Rect: rect, Border: [0, 0, 0], ...action }));
  page.node.addAnnot(annotation);
}

/**
 * Prints `text` at the foot of a page the pack took from a candidate's file, isolated from the
 * page's own drawing state (its content is wrapped in q … Q first). The three small streams are
 * left uncompressed: deflating thousands of 100-byte streams costs more than it saves.
 */
export function stampFooter(doc: PDFDocument, page: PDFPage, text: string, font: PDFFont): void {
  const { x, y, width } = page.getMediaBox();
  const line = winAnsiText(text);
  const size = 8;
  const context = doc.context;
  const fontKey = page.node.newFontDictionary(font.name, font.ref);
  const stamp = drawText(font.encodeText(line), {
    color: rgb(0.3, 0.3, 0.3),
    font: fontKey,
    size,
    rotate: degrees(0),
    xSkew: degrees(0),
    ySkew: degrees(0),
    x: x + width - MARGIN - font.widthOfTextAtSize(line, size),
    y: y + FOOTER_Y - 14,
  });
  const plain = (operators: PDFOperator[]) => context.register(PDFContentStream.of(context.obj({}), operators, false));
  page.node.normalize();
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray() : contents ? [page.node.get(PDFName.of('Contents')) as PDFRef] : [];
  page.node.set(PDFName.of('Contents'), context.obj([plain([pushGraphicsState()]), ...streams, plain([popGraphicsState()]), plain(stamp)]));
}

/** Footer of the pack's own pages. */
export function drawFooter(page: PDFPage, text: string, font: PDFFont): void {
  const line = winAnsiText(text);
  page.drawText(line, { x: A4[0] - MARGIN - font.widthOfTextAtSize(line, 8), y: FOOTER_Y, size: 8, font, color: rgb(0.3, 0.3, 0.3) });
}
