// Item labels: SVG, PNG and PDF sheets; the DataMatrix is decoded back with dmtxread (Debian's dmtx-utils)
// where installed: skipped locally without it, required under CI.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderLabelPng,
  renderLabelSheetPdf,
  renderLabelSvg,
  type LabelContent,
} from '../../src/modules/inventory/labels.js';
import { commandRuns } from '../support/run-process.js';

const run = promisify(execFile);

function buildLabel(overrides: Partial<LabelContent> = {}): LabelContent {
  return {
    humanId: 'S-000123',
    name: 'Plasmid pUC19 miniprep',
    barcode: 'S-000123',
    typeName: 'Plasmid DNA',
    ...overrides,
  };
}

/** The error `action` throws, for matching its fields. */
function errorThrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('Expected an error');
}

/** Whether librsvg (inside sharp, built on libxml2) parses the document: it refuses XML that is not well-formed. */
async function parsesAsSvg(svg: string): Promise<boolean> {
  try {
    await sharp(Buffer.from(svg)).metadata();
    return true;
  } catch {
    return false;
  }
}

function pageCount(pdf: Buffer): number {
  return pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
}

describe('renderLabelSvg', () => {
  it('draws a well-formed SVG with the escaped id and name', async () => {
    const svg = renderLabelSvg(buildLabel({ humanId: 'S-<1>', name: 'Tris <&> "buffer"' }));

    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('viewBox="0 0 50 25"');
    expect(svg).toContain('width="50mm" height="25mm"');
    expect(await parsesAsSvg(svg)).toBe(true);
    expect(svg).toContain('>S-&#60;1&#62;</text>');
    expect(svg).toContain('Tris &#60;&#38;&#62; &#34;buffer&#34;');
    expect(svg).not.toContain('<&>');
    expect(svg).toContain('Plasmid DNA');
  });

  it('confirms that the well-formedness check rejects broken XML', async () => {
    expect(await parsesAsSvg('<svg xmlns="http://www.w3.org/2000/svg"><text><&></text></svg>')).toBe(false);
  });

  it('stays well-formed with control characters, lone surrogates and very long names', async () => {
    const svg = renderLabelSvg(
      buildLabel({ name: `bad\u0000\u0001\u001b\ud800 ${'x'.repeat(500)} ${'long words '.repeat(100)}` }),
    );
    expect(await parsesAsSvg(svg)).toBe(true);
    expect(svg).not.toMatch(/[^\P{Cc}\n]|\p{Cs}/u);
    const nameLines = svg.match(/<text [^>]*font-size="2.5"[^>]*>[^<]*<\/text>/g) ?? [];
    expect(nameLines.length).toBeGreaterThan(0);
    expect(nameLines.length).toBeLessThanOrEqual(4);
    expect(nameLines.at(-1)).toContain('…');
  });

  it('refuses an empty or overlong barcode', () => {
    expect(errorThrownBy(() => renderLabelSvg(buildLabel({ barcode: ' ' })))).toMatchObject({
      code: 'barcode_empty',
    });
    expect(errorThrownBy(() => renderLabelSvg(buildLabel({ barcode: 'x'.repeat(201) })))).toMatchObject({
      status: 422,
      code: 'barcode_too_long',
    });
  });
});

describe('renderLabelPng', () => {
  it('renders a PNG of 50 × 25 mm at the requested resolution', async () => {
    const png = await renderLabelPng(buildLabel());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const metadata = await sharp(png).metadata();
    expect(metadata).toMatchObject({ format: 'png', width: 591, height: 295, density: 300 });

    const small = await sharp(await renderLabelPng(buildLabel(), { dpi: 150 })).metadata();
    expect([small.width, small.height]).toEqual([295, 148]);
  });

  it('has dark modules and text on a white background', async () => {
    const { data, info } = await sharp(await renderLabelPng(buildLabel()))
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const dark = data.filter((value) => value < 128).length / (info.width * info.height);
    expect(dark).toBeGreaterThan(0.1);
    expect(dark).toBeLessThan(0.6);
    expect(data[0]).toBe(255);
  });

  it('refuses a resolution out of range', async () => {
    await expect(renderLabelPng(buildLabel(), { dpi: 10 })).rejects.toMatchObject({ status: 422 });
  });
});

describe('renderLabelSheetPdf', () => {
  it('lays 30 labels out on 2 A4 pages of 24', async () => {
    const labels = Array.from({ length: 30 }, (_, index) =>
      buildLabel({
        humanId: `S-${String(index).padStart(6, '0')}`,
        barcode: `S-${String(index).padStart(6, '0')}`,
      }),
    );
    const pdf = await renderLabelSheetPdf(labels);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pageCount(pdf)).toBe(2);
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 595.28 841.89]');
  });

  it('follows the grid and page size asked for', async () => {
    const pdf = await renderLabelSheetPdf(
      Array.from({ length: 7 }, () => buildLabel()),
      {
        columns: 2,
        rows: 3,
        pageSize: 'LETTER',
      },
    );
    expect(pageCount(pdf)).toBe(2);
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 612 792]');
  });

  it('prints names in any script and refuses an empty list or a bad grid', async () => {
    const pdf = await renderLabelSheetPdf([buildLabel({ name: 'Ψ-Probe 抗体 <&> μl' })]);
    expect(pageCount(pdf)).toBe(1);
    await expect(renderLabelSheetPdf([])).rejects.toMatchObject({ code: 'no_labels' });
    await expect(renderLabelSheetPdf([buildLabel()], { columns: 0 })).rejects.toMatchObject({ status: 422 });
  });
});

/** Without dmtxread the decoding tests are skipped locally; under CI they run and fail. */
const hasDmtxread = await commandRuns('dmtxread', ['--version']);

describe.skipIf(!hasDmtxread && !process.env.CI)('DataMatrix content (dmtxread)', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'cairn-labels-'));
  });

  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  async function decode(png: Buffer, name: string): Promise<string> {
    const file = path.join(workDir, `${name}.png`);
    await writeFile(file, png);
    const { stdout } = await run('dmtxread', ['-N1', '-m', '20000', file], { encoding: 'buffer' });
    return stdout.toString('utf8');
  }

  it.each([
    ['a human id', 'S-000123'],
    ['a longer barcode', 'LOT-2024-05-17/FREEZER-3/RACK-B/BOX-12/POS-A7'],
    ['a non-ASCII barcode', 'Probe-µ-7'],
    ['a barcode beyond Latin-1', 'Ψ-抗体-42'],
  ])('decodes back to %s', async (name, barcode) => {
    expect(await decode(await renderLabelPng(buildLabel({ barcode })), name.replace(/\W/g, '-'))).toBe(
      barcode,
    );
  });

  it('decodes at 150 dpi too', async () => {
    expect(await decode(await renderLabelPng(buildLabel(), { dpi: 150 }), 'low-dpi')).toBe('S-000123');
  });
});
