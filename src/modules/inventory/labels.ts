/**
 * Item labels: a DataMatrix code (encoded by bwip-js), the human-readable id, the type name and the name,
 * drawn as a self-contained 50 × 25 mm SVG, as a PNG (that SVG rasterized by sharp) and as printable PDF
 * sheets (drawn by pdfkit from the same DataMatrix modules, in DejaVu Sans when installed). Rendering only:
 * `getLabelContents` in items.service.ts loads the items the caller may see and decides what goes on a label.
 */
import { existsSync, readFileSync } from 'node:fs';
import bwipjs from 'bwip-js';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { BarcodeEmpty, BarcodeTooLong, Invalid, NoLabels } from '../../errors/catalogue.js';

export interface LabelContent {
  /** The item's human-readable id (`P-000123`, `V-000045`), printed bold. */
  humanId: string;
  name: string;
  /** What the DataMatrix encodes: the item's barcode if set, else its humanId. */
  barcode: string;
  typeName?: string;
}

export interface LabelPngOptions {
  /** Print resolution; the label is 50 × 25 mm. Default 300. */
  dpi?: number;
}

export interface LabelSheetOptions {
  /** Labels across a page; default 3. */
  columns?: number;
  /** Labels down a page; default 8 (3 × 8 of 63.5 × 33.9 mm on A4 matches the common 24-up sheets). */
  rows?: number;
  pageSize?: 'A4' | 'LETTER';
}

/** Longest barcode content (UTF-8 bytes): beyond it the modules get too small to print and scan reliably. */
const MAX_BARCODE_BYTES = 200;

// --- DataMatrix ---------------------------------------------------------------------------------------------

/** A DataMatrix symbol as a grid of modules, row 0 at the top, without its quiet zone. */
interface ModuleGrid {
  readonly columns: number;
  readonly rows: number;
  /** Horizontal runs of dark modules: [column, row, length]. */
  readonly runs: readonly (readonly [number, number, number])[];
}

function encodeDataMatrix(content: string): ModuleGrid {
  const bytes = Buffer.from(content, 'utf8');
  if (content.trim() === '') throw new BarcodeEmpty();
  if (bytes.length > MAX_BARCODE_BYTES) {
    throw new BarcodeTooLong(`A barcode on a label holds at most ${MAX_BARCODE_BYTES} bytes`);
  }
  // bwip-js encodes the text as UTF-8 bytes (its default), which scanners pass through.
  const [symbol] = bwipjs.raw('datamatrix', content, {});
  if (symbol === undefined || !('pixs' in symbol)) throw new Error('bwip-js returned no DataMatrix matrix');
  const { pixs, pixx: columns, pixy: rows } = symbol;
  const runs: [number, number, number][] = [];
  for (let row = 0; row < rows; row += 1) {
    let start = -1;
    for (let column = 0; column <= columns; column += 1) {
      const dark = column < columns && pixs[row * columns + column] === 1;
      if (dark && start < 0) start = column;
      if (!dark && start >= 0) {
        runs.push([start, row, column - start]);
        start = -1;
      }
    }
  }
  return { columns, rows, runs };
}

/** DataMatrix asks for a quiet zone of one module on every side. */
const QUIET_MODULES = 1;

// --- SVG and PNG --------------------------------------------------------------------------------------------

const LABEL_WIDTH_MM = 50;
const LABEL_HEIGHT_MM = 25;
const MARGIN_MM = 1.5;
const CODE_SIZE_MM = LABEL_HEIGHT_MM - 2 * MARGIN_MM;
const TEXT_X_MM = MARGIN_MM + CODE_SIZE_MM + 1.5;
const TEXT_WIDTH_MM = LABEL_WIDTH_MM - TEXT_X_MM - MARGIN_MM;
const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";
const ID_FONT_MM = 3.6;
const TYPE_FONT_MM = 2.3;
const NAME_FONT_MM = 2.5;
const NAME_LINE_MM = 3;

/**
 * Draws a 50 × 25 mm label as a standalone SVG document: the DataMatrix on the left, the human-readable id
 * (bold), the type name and the name (wrapped, truncated with an ellipsis) on the right. All text is escaped.
 */
export function renderLabelSvg(label: LabelContent): string {
  return buildLabelSvg(label, `${LABEL_WIDTH_MM}mm`, `${LABEL_HEIGHT_MM}mm`);
}

/** The label SVG with the given outer size: millimetres for print and browsers, pixels for rasterizing. */
function buildLabelSvg(label: LabelContent, width: string, height: string): string {
  const grid = encodeDataMatrix(label.barcode);
  const moduleMm = CODE_SIZE_MM / (Math.max(grid.columns, grid.rows) + 2 * QUIET_MODULES);
  const codeX = MARGIN_MM + QUIET_MODULES * moduleMm;
  const codeY = MARGIN_MM + QUIET_MODULES * moduleMm;
  const modules = grid.runs
    .map(([column, row, length]) => `M${column} ${row}h${length}v1h-${length}z`)
    .join('');

  const humanId = printable(label.humanId);
  const typeName = printable(label.typeName ?? '');
  const idWidth = estimateWidthEm(humanId) * ID_FONT_MM;
  const fitId =
    idWidth > TEXT_WIDTH_MM ? ` textLength="${TEXT_WIDTH_MM}" lengthAdjust="spacingAndGlyphs"` : '';

  let y = MARGIN_MM + ID_FONT_MM;
  const texts = [
    `<text x="${TEXT_X_MM}" y="${round(y)}" font-size="${ID_FONT_MM}" font-weight="bold"${fitId}>${escapeXml(humanId)}</text>`,
  ];
  if (typeName !== '') {
    y += TYPE_FONT_MM + 1;
    const [line] = wrapText(typeName, TEXT_WIDTH_MM / TYPE_FONT_MM, 1);
    texts.push(
      `<text x="${TEXT_X_MM}" y="${round(y)}" font-size="${TYPE_FONT_MM}" fill="#444">${escapeXml(line ?? '')}</text>`,
    );
  }
  y += NAME_FONT_MM + 1.2;
  const nameLines = Math.max(1, Math.floor((LABEL_HEIGHT_MM - MARGIN_MM - y) / NAME_LINE_MM) + 1);
  for (const line of wrapText(printable(label.name), TEXT_WIDTH_MM / NAME_FONT_MM, nameLines)) {
    texts.push(
      `<text x="${TEXT_X_MM}" y="${round(y)}" font-size="${NAME_FONT_MM}">${escapeXml(line)}</text>`,
    );
    y += NAME_LINE_MM;
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${LABEL_WIDTH_MM} ${LABEL_HEIGHT_MM}">`,
    `<title>${escapeXml(`${humanId} ${printable(label.name)}`.trim())}</title>`,
    `<rect width="${LABEL_WIDTH_MM}" height="${LABEL_HEIGHT_MM}" fill="#fff"/>`,
    `<path transform="translate(${round(codeX)} ${round(codeY)}) scale(${round(moduleMm)})" shape-rendering="crispEdges" fill="#000" d="${modules}"/>`,
    `<g font-family="${FONT_FAMILY}" fill="#000">`,
    ...texts,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

/** The same label as a PNG at `dpi` (default 300: 591 × 295 pixels), with the resolution recorded in it. */
export async function renderLabelPng(label: LabelContent, options: LabelPngOptions = {}): Promise<Buffer> {
  const dpi = options.dpi ?? 300;
  if (!Number.isFinite(dpi) || dpi < 72 || dpi > 1200) {
    throw new Invalid('dpi must be from 72 to 1200', [{ field: 'dpi', message: 'is out of range' }]);
  }
  const pixels = (mm: number): number => Math.round((mm / 25.4) * dpi);
  const svg = buildLabelSvg(label, String(pixels(LABEL_WIDTH_MM)), String(pixels(LABEL_HEIGHT_MM)));
  return sharp(Buffer.from(svg))
    .flatten({ background: '#fff' })
    .withMetadata({ density: dpi })
    .png()
    .toBuffer();
}

// --- PDF sheets ---------------------------------------------------------------------------------------------

const POINTS_PER_MM = 72 / 25.4;
const PAGE_SIZES_MM = { A4: [210, 297], LETTER: [215.9, 279.4] } as const;
/** The 24-up sheet's label; smaller when another grid or page would not fit it. */
const SHEET_LABEL_MM = [63.5, 33.9] as const;
const SHEET_COLUMN_GAP_MM = 2.5;
const SHEET_MIN_MARGIN_MM = 4;
const SHEET_PADDING_MM = 2;

const SYSTEM_FONTS = {
  regular: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  bold: '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
};

interface SheetFonts {
  readonly regular: string | Buffer;
  readonly bold: string | Buffer;
  /** Whether the fonts cover Unicode; the PDF standard fonts cover only Latin-1. */
  readonly unicode: boolean;
}

let sheetFonts: SheetFonts | undefined;

/** DejaVu Sans (Debian's fonts-dejavu-core) when installed, so names in any script print; else Helvetica. */
function loadSheetFonts(): SheetFonts {
  if (sheetFonts === undefined) {
    sheetFonts =
      existsSync(SYSTEM_FONTS.regular) && existsSync(SYSTEM_FONTS.bold)
        ? {
            regular: readFileSync(SYSTEM_FONTS.regular),
            bold: readFileSync(SYSTEM_FONTS.bold),
            unicode: true,
          }
        : { regular: 'Helvetica', bold: 'Helvetica-Bold', unicode: false };
  }
  return sheetFonts;
}

/**
 * Lays labels out on printable pages (default A4, 3 × 8 labels of 63.5 × 33.9 mm, as many pages as needed),
 * each with its DataMatrix drawn as vectors, the human-readable id, the type name and the name.
 */
export async function renderLabelSheetPdf(
  labels: LabelContent[],
  options: LabelSheetOptions = {},
): Promise<Buffer> {
  const columns = options.columns ?? 3;
  const rows = options.rows ?? 8;
  for (const [field, value] of [
    ['columns', columns],
    ['rows', rows],
  ] as const) {
    if (!Number.isInteger(value) || value < 1 || value > 20) {
      throw new Invalid(`${field} must be a whole number from 1 to 20`, [
        { field, message: 'is out of range' },
      ]);
    }
  }
  if (labels.length === 0) throw new NoLabels();
  // Encode every code first, so that a bad barcode fails before any page is drawn.
  const grids = labels.map((label) => encodeDataMatrix(label.barcode));

  const pageSize = options.pageSize ?? 'A4';
  const [pageWidth, pageHeight] = PAGE_SIZES_MM[pageSize];
  const labelWidth = Math.min(
    SHEET_LABEL_MM[0],
    (pageWidth - 2 * SHEET_MIN_MARGIN_MM - (columns - 1) * SHEET_COLUMN_GAP_MM) / columns,
  );
  const labelHeight = Math.min(SHEET_LABEL_MM[1], (pageHeight - 2 * SHEET_MIN_MARGIN_MM) / rows);
  const left = (pageWidth - columns * labelWidth - (columns - 1) * SHEET_COLUMN_GAP_MM) / 2;
  const top = (pageHeight - rows * labelHeight) / 2;
  const perPage = columns * rows;

  const fonts = loadSheetFonts();
  const document = new PDFDocument({
    size: pageSize,
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'Cairn labels', Creator: 'Cairn' },
  });
  document.registerFont('label', fonts.regular);
  document.registerFont('label-bold', fonts.bold);
  const done = collectPdf(document);

  labels.forEach((label, index) => {
    const slot = index % perPage;
    if (slot === 0) document.addPage({ size: pageSize, margin: 0 });
    const grid = grids[index];
    if (grid === undefined) return;
    const x = left + (slot % columns) * (labelWidth + SHEET_COLUMN_GAP_MM);
    const y = top + Math.floor(slot / columns) * labelHeight;
    drawSheetLabel(document, fonts, label, grid, { x, y, width: labelWidth, height: labelHeight });
  });
  document.end();
  return done;
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

function drawSheetLabel(
  document: PDFKit.PDFDocument,
  fonts: SheetFonts,
  label: LabelContent,
  grid: ModuleGrid,
  cell: Box,
): void {
  const mm = (value: number): number => value * POINTS_PER_MM;
  const codeSize = Math.min(cell.height - 2 * SHEET_PADDING_MM, cell.width * 0.4);
  const moduleMm = codeSize / (Math.max(grid.columns, grid.rows) + 2 * QUIET_MODULES);
  const codeX = cell.x + SHEET_PADDING_MM + QUIET_MODULES * moduleMm;
  const codeY = cell.y + (cell.height - codeSize) / 2 + QUIET_MODULES * moduleMm;
  for (const [column, row, length] of grid.runs) {
    document.rect(
      mm(codeX + column * moduleMm),
      mm(codeY + row * moduleMm),
      mm(length * moduleMm),
      mm(moduleMm),
    );
  }
  document.fillColor('#000').fill();

  const textX = mm(cell.x + 2 * SHEET_PADDING_MM + codeSize);
  const textWidth = mm(cell.x + cell.width - SHEET_PADDING_MM) - textX;
  const bottom = mm(cell.y + cell.height - SHEET_PADDING_MM);
  const encodable = (text: string): string =>
    fonts.unicode ? printable(text) : printable(text).replace(/[^\x20-\xff]/g, '?');
  let y = mm(cell.y + SHEET_PADDING_MM);

  // The id must stay whole: shrink it to fit before resorting to an ellipsis.
  const humanId = encodable(label.humanId);
  let idSize = 10;
  document.font('label-bold');
  while (idSize > 6 && document.fontSize(idSize).widthOfString(humanId) > textWidth) idSize -= 0.5;
  document
    .fontSize(idSize)
    .text(humanId, textX, y, { width: textWidth, height: idSize * 1.2, ellipsis: true, lineBreak: false });
  y += idSize * 1.3;

  const typeName = encodable(label.typeName ?? '');
  if (typeName !== '') {
    document.font('label').fontSize(6.5).fillColor('#444');
    document.text(typeName, textX, y, {
      width: textWidth,
      height: 6.5 * 1.2,
      ellipsis: true,
      lineBreak: false,
    });
    document.fillColor('#000');
    y += 6.5 * 1.3;
  }

  const nameHeight = bottom - y;
  if (nameHeight >= 8) {
    document.font('label').fontSize(8).fillColor('#000');
    document.text(encodable(label.name), textX, y, { width: textWidth, height: nameHeight, ellipsis: true });
  }
}

function collectPdf(document: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    document.on('data', (chunk: Buffer) => chunks.push(chunk));
    document.on('end', () => resolve(Buffer.concat(chunks)));
    document.on('error', reject);
  });
}

// --- Text ---------------------------------------------------------------------------------------------------

/** Characters XML 1.0 forbids and controls that draw nothing are dropped; runs of whitespace become one space. */
function printable(text: string): string {
  return text
    .replace(/[\p{Cc}\p{Cs}\ufffe\uffff]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/**
 * Approximate advance width in em, from DejaVu Sans' metrics by character class; generous, so that estimated
 * lines fit in the viewer's font too. Only the SVG needs this: the PDF measures with the real font.
 */
function estimateWidthEm(text: string): number {
  let width = 0;
  for (const character of text) {
    if (/[iljtfrI.,:;!'|()[\]{} ]/.test(character)) width += 0.38;
    else if (/[mwMW@%]/.test(character)) width += 0.98;
    else if (/[A-Z]/.test(character)) width += 0.76;
    else width += 0.64;
  }
  return width;
}

/**
 * Breaks text into at most `maxLines` lines of at most `widthEm`, at spaces where it can and inside a word
 * where it must; the last line ends with an ellipsis when text was left out.
 */
function wrapText(text: string, widthEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  const pending = text.split(' ').filter((word) => word !== '');
  let line = '';
  while (pending.length > 0 && lines.length < maxLines) {
    const word = pending[0] ?? '';
    const candidate = line === '' ? word : `${line} ${word}`;
    if (estimateWidthEm(candidate) <= widthEm) {
      line = candidate;
      pending.shift();
    } else if (line !== '') {
      lines.push(line);
      line = '';
    } else {
      // A word longer than a line: cut it.
      const characters = [...word];
      let cut = 1;
      while (cut < characters.length && estimateWidthEm(characters.slice(0, cut + 1).join('')) <= widthEm)
        cut += 1;
      lines.push(characters.slice(0, cut).join(''));
      const rest = characters.slice(cut).join('');
      if (rest === '') pending.shift();
      else pending[0] = rest;
    }
  }
  if (line !== '') lines.push(line);
  if (pending.length > 0) {
    const characters = [...(lines.pop() ?? '')];
    while (characters.length > 0 && estimateWidthEm(`${characters.join('')}…`) > widthEm) characters.pop();
    lines.push(`${characters.join('').trimEnd()}…`);
  }
  return lines;
}
