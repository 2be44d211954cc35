/**
 * The FEI/Thermo Fisher metadata block of their SEM and FIB TIFFs (TIFF tag 34682 or 34680): INI-like
 * `[Section]` and `key=value` lines. Parsed into sections of typed values, plus the handful of quantities that
 * NexusLIMS's Quanta extractor shows in display units (kV, μm, …), derived from the SI values the block holds.
 */

export type FeiValue = number | boolean | string;

export interface FeiQuantity {
  /** The display name, as NexusLIMS names it ("Voltage", "Working Distance"). */
  readonly name: string;
  readonly value: number | string;
  /** The display unit, or null for a dimensionless or free-text value. */
  readonly unit: string | null;
  /** Where the value came from in the block. */
  readonly source: { readonly section: string; readonly key: string };
}

export interface FeiMetadata {
  /** Section name to its keys and typed values, in the block's order. */
  readonly sections: Record<string, Record<string, FeiValue>>;
  /** Well-known values in display units. */
  readonly quantities: FeiQuantity[];
}

const SECTION_LINE = /^\[([^\]]+)\]\s*$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Turns one value's text into a number or a boolean when it plainly is one, else keeps the text. */
export function typeFeiValue(text: string): FeiValue {
  if (NUMBER.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (lower === 'yes' || lower === 'true') return true;
  if (lower === 'no' || lower === 'false') return false;
  return text;
}

/**
 * Parses the block's text. NUL padding and any line endings are accepted; lines before the first section,
 * comments (`;` or `#`) and lines without `=` are skipped, and a repeated key keeps its last value, as
 * Python's configparser (which NexusLIMS uses) would leave it.
 */
export function parseFeiMetadata(text: string): FeiMetadata {
  const sections: Record<string, Record<string, FeiValue>> = {};
  let current: Record<string, FeiValue> | null = null;
  for (const rawLine of text.replaceAll('\0', '').split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    const section = SECTION_LINE.exec(line);
    if (section?.[1] !== undefined) {
      const name = section[1].trim();
      current = sections[name] ?? {};
      sections[name] = current;
      continue;
    }
    const equals = line.indexOf('=');
    if (current === null || equals <= 0) continue;
    current[line.slice(0, equals).trim()] = typeFeiValue(line.slice(equals + 1).trim());
  }
  return { sections, quantities: deriveQuantities(sections) };
}

/** A value in SI units shown as `unit` by multiplying by 10^exponent (NexusLIMS's factors). */
interface QuantityRule {
  readonly key: string;
  readonly name: string;
  readonly unit: string | null;
  readonly exponent: number;
}

const BEAM_RULES: QuantityRule[] = [
  { key: 'EmissionCurrent', name: 'Emission Current', unit: 'μA', exponent: 6 },
  { key: 'HFW', name: 'Horizontal Field Width', unit: 'μm', exponent: 6 },
  { key: 'VFW', name: 'Vertical Field Width', unit: 'μm', exponent: 6 },
  { key: 'HV', name: 'Voltage', unit: 'kV', exponent: -3 },
  { key: 'WD', name: 'Working Distance', unit: 'mm', exponent: 3 },
  { key: 'SourceTiltX', name: 'Beam Tilt X', unit: null, exponent: 0 },
  { key: 'SourceTiltY', name: 'Beam Tilt Y', unit: null, exponent: 0 },
  { key: 'StageX', name: 'Stage Position X', unit: null, exponent: 0 },
  { key: 'StageY', name: 'Stage Position Y', unit: null, exponent: 0 },
  { key: 'StageZ', name: 'Stage Position Z', unit: null, exponent: 0 },
  { key: 'StageR', name: 'Stage Position R', unit: null, exponent: 0 },
  { key: 'StageTa', name: 'Stage Position α', unit: null, exponent: 0 },
  { key: 'StigmatorX', name: 'Stigmator X Value', unit: null, exponent: 0 },
  { key: 'StigmatorY', name: 'Stigmator Y Value', unit: null, exponent: 0 },
];

const SCAN_RULES: QuantityRule[] = [
  { key: 'Dwell', name: 'Pixel Dwell Time', unit: 'μs', exponent: 6 },
  { key: 'FrameTime', name: 'Total Frame Time', unit: 's', exponent: 0 },
  { key: 'PixelWidth', name: 'Pixel Width', unit: 'nm', exponent: 9 },
  { key: 'PixelHeight', name: 'Pixel Height', unit: 'nm', exponent: 9 },
];

const DETECTOR_RULES: QuantityRule[] = [
  { key: 'Brightness', name: 'Detector Brightness Setting', unit: null, exponent: 0 },
  { key: 'Contrast', name: 'Detector Contrast Setting', unit: null, exponent: 0 },
  { key: 'EnhancedContrast', name: 'Detector Enhanced Contrast Setting', unit: null, exponent: 0 },
  { key: 'Signal', name: 'Detector Signal', unit: null, exponent: 0 },
  { key: 'Grid', name: 'Detector Grid Voltage', unit: 'V', exponent: 0 },
  { key: 'Setting', name: 'Detector Setting', unit: null, exponent: 0 },
];

/**
 * The values the block names indirectly: `[Beam] Beam=EBeam` says the beam's settings are in `[EBeam]`,
 * `[Beam] Scan` the scan's and `[Detectors] Name` the detector's, as in NexusLIMS's `quanta_tif` extractor.
 */
function deriveQuantities(sections: Record<string, Record<string, FeiValue>>): FeiQuantity[] {
  const quantities: FeiQuantity[] = [];
  const apply = (sectionName: FeiValue | undefined, rules: QuantityRule[]): void => {
    if (typeof sectionName !== 'string') return;
    const section = sections[sectionName];
    if (section === undefined) return;
    for (const rule of rules) {
      const value = section[rule.key];
      if (value === undefined || value === '') continue;
      quantities.push({
        name: rule.name,
        value: typeof value === 'number' ? scale(value, rule.exponent) : String(value),
        unit: typeof value === 'number' ? rule.unit : null,
        source: { section: sectionName, key: rule.key },
      });
    }
  };
  apply(sections.Beam?.Beam, BEAM_RULES);
  apply(sections.Beam?.Scan, SCAN_RULES);
  apply(sections.Detectors?.Name, DETECTOR_RULES);
  const fixed: [string, string, string, string | null][] = [
    ['Beam', 'Spot', 'Spot Size', null],
    ['Specimen', 'Temperature', 'Specimen Temperature', 'K'],
    ['User', 'User', 'Operator', null],
    ['User', 'Date', 'Acquisition Date', null],
    ['User', 'Time', 'Acquisition Time', null],
    ['Vacuum', 'UserMode', 'Vacuum Mode', null],
    ['Vacuum', 'ChPressure', 'Chamber Pressure', 'Pa'],
  ];
  for (const [sectionName, key, name, unit] of fixed) {
    const value = sections[sectionName]?.[key];
    if (value === undefined || value === '') continue;
    quantities.push({
      name,
      value: typeof value === 'number' ? value : String(value),
      unit: typeof value === 'number' ? unit : null,
      source: { section: sectionName, key },
    });
  }
  return quantities;
}

/**
 * value × 10^exponent without binary noise (2e-6 × 1e6 must be 2, not 1.9999999999999998): the product is
 * rounded to the significant digits the two factors can carry.
 */
function scale(value: number, exponent: number): number {
  if (exponent === 0) return value;
  return Number((value * 10 ** exponent).toPrecision(15));
}
