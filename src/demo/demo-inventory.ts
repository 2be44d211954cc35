/**
 * The demo lab's inventory: two rooms, a -80 °C freezer with racks and boxes holding about a thousand tubes,
 * a fridge with a plate, plasmids and primers with real sequences, strains and antibodies, and samples in the
 * demo projects. Made through the inventory and samples services (validated and audited); loaded once: it
 * is skipped when the demo room already exists.
 */
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/transaction.js';
import type { Actor } from '../modules/accounts/actor.js';
import { createItemsInBulk, type OwnedCreateItem } from '../modules/inventory/item-creation.service.js';
import { listItems } from '../modules/inventory/item-lists.service.js';
import { createSamplesInBulk } from '../modules/samples/samples.service.js';
import type { CreateSample } from '../modules/samples/samples.schema.js';
import { EGFP_ORF, PRIMERS, PUC19_1_480 } from './demo-sequences.js';

const DEMO_ROOM = 'Lab 2.14';

export interface DemoInventorySummary {
  items: number;
  samples: number;
}

/** Projects the demo samples go into, by the demo project names. */
export interface DemoSampleProjects {
  yeast: { id: string; manager: Actor } | null;
  soil: { id: string; manager: Actor } | null;
}

async function createWave(trx: Db, actor: Actor, inputs: OwnedCreateItem[]): Promise<string[]> {
  return (await createItemsInBulk(trx, actor, inputs)).map((created) => created.id);
}

function isoDay(offset: number): string {
  return new Date(Date.UTC(2026, 0, 5) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** Loads the demo inventory as `actor` (a staff user); returns what it added (nothing on a second run). */
export async function loadDemoInventory(
  db: Db,
  actor: Actor,
  projects: DemoSampleProjects,
): Promise<DemoInventorySummary> {
  const existing = await listItems(db, actor, { parent: 'root', q: DEMO_ROOM, limit: 5 });
  if (existing.items.some((item) => item.name === DEMO_ROOM)) return { items: 0, samples: 0 };

  return inTransaction(db, async (trx) => {
    let items = 0;
    const wave = async (inputs: OwnedCreateItem[]) => {
      items += inputs.length;
      return createWave(trx, actor, inputs);
    };

    const [pUC19, pEGFP, dh5a, bl21, by4741, antiGfp, antiActin, ...primers] = await wave([
      {
        type: 'plasmid',
        name: 'pUC19',
        description:
          'High-copy cloning vector (GenBank L09137.2); sequence: positions 1–480, the lacZα / MCS region.',
        fields: { sequence: PUC19_1_480, backbone: 'pMB1 ori', resistance: 'ampicillin' },
      },
      {
        type: 'plasmid',
        name: 'pCairn-EGFP',
        description: 'EGFP expression construct; sequence: the EGFP open reading frame.',
        fields: { sequence: EGFP_ORF, backbone: 'pUC19', resistance: 'ampicillin' },
      },
      {
        type: 'strain',
        name: 'E. coli DH5α',
        fields: {
          organism: 'Escherichia coli',
          genotype:
            'F– φ80lacZΔM15 Δ(lacZYA-argF)U169 recA1 endA1 hsdR17(rK–, mK+) phoA supE44 λ– thi-1 gyrA96 relA1',
          biosafety_level: 'BSL-1',
        },
      },
      {
        type: 'strain',
        name: 'E. coli BL21(DE3)',
        fields: {
          organism: 'Escherichia coli',
          genotype: 'F– ompT hsdSB(rB–, mB–) gal dcm (DE3)',
          biosafety_level: 'BSL-1',
        },
      },
      {
        type: 'strain',
        name: 'S. cerevisiae BY4741',
        fields: {
          organism: 'Saccharomyces cerevisiae',
          genotype: 'MATa his3Δ1 leu2Δ0 met15Δ0 ura3Δ0',
          biosafety_level: 'BSL-1',
        },
      },
      {
        type: 'antibody',
        name: 'anti-GFP (rabbit)',
        fields: { host: 'rabbit', target: 'GFP', clonality: 'polyclonal' },
      },
      {
        type: 'antibody',
        name: 'anti-β-actin (mouse)',
        fields: { host: 'mouse', target: 'β-actin', clonality: 'monoclonal' },
      },
      ...PRIMERS.map((primer) => ({
        type: 'primer',
        name: primer.name,
        fields: { sequence: primer.sequence, direction: primer.direction, tm_c: primer.tm },
      })),
    ]);

    const [lab, coldRoom] = await wave([
      { type: 'room', name: DEMO_ROOM, fields: { building: 'Life Sciences', floor: '2' } },
      { type: 'room', name: 'Cold room B1', fields: { building: 'Life Sciences', floor: 'B1' } },
    ]);
    const [freezer, fridge] = await wave([
      { type: '-80 freezer', name: 'Freezer A (−80 °C)', parentId: lab!, barcode: 'FRZ-A' },
      {
        type: 'fridge',
        name: 'Fridge 1 (4 °C)',
        parentId: coldRoom!,
        fields: { temperature_c: 4, model: 'Liebherr MKv 3910' },
      },
    ]);
    const racks = await wave([
      ...[1, 2, 3, 4].map((n) => ({
        type: 'rack',
        name: `Rack ${n}`,
        parentId: freezer!,
        fields: { position: `shelf ${Math.ceil(n / 2)}` },
      })),
      { type: 'shelf', name: 'Shelf 1', parentId: fridge! },
    ]);
    const shelf = racks.pop()!;
    const boxSpecs = racks.flatMap((rackId, r) =>
      [1, 2, 3].map((b) => ({
        type: b === 3 ? 'box 9x9' : 'box 10x10',
        name: `Box ${r + 1}-${b}`,
        parentId: rackId,
        barcode: `BOX-${r + 1}-${b}`,
        fields: { color: ['blue', 'red', 'yellow', 'green'][r] },
      })),
    );
    const boxes = await wave([
      ...boxSpecs,
      {
        type: '96-well plate',
        name: 'qPCR plate 2026-01',
        parentId: shelf,
        fields: { plate_type: 'flat', sealed: true },
      },
      { type: 'box 9x9', name: 'Soil cores box', parentId: racks[3]!, barcode: 'BOX-SOIL-1' },
      { type: 'box 10x10', name: 'Yeast screen box', parentId: racks[3]!, barcode: 'BOX-YEAST-1' },
    ]);
    const yeastBox = boxes.pop()!;
    const soilBox = boxes.pop()!;
    boxes.pop(); // the plate stays empty

    const contents = [
      { virtualId: pUC19!, label: 'pUC19 miniprep', unit: 'ng/ul', concentration: 250 },
      { virtualId: pEGFP!, label: 'pCairn-EGFP miniprep', unit: 'ng/ul', concentration: 180 },
      { virtualId: dh5a!, label: 'DH5α glycerol stock', unit: 'cells/ml', concentration: 1e9 },
      { virtualId: bl21!, label: 'BL21(DE3) glycerol stock', unit: 'cells/ml', concentration: 1e9 },
      { virtualId: by4741!, label: 'BY4741 glycerol stock', unit: 'cells/ml', concentration: 5e8 },
      { virtualId: antiGfp!, label: 'anti-GFP aliquot', unit: 'ug/ml', concentration: 500 },
      { virtualId: antiActin!, label: 'anti-β-actin aliquot', unit: 'ug/ml', concentration: 200 },
      ...primers.map((id, i) => ({
        virtualId: id,
        label: `${PRIMERS[i]?.name} 10 µM`,
        unit: 'uM',
        concentration: 10,
      })),
    ];
    const tubes: OwnedCreateItem[] = [];
    boxes.forEach((boxId, boxIndex) => {
      const spec = boxSpecs[boxIndex]!;
      const size = spec.type === 'box 9x9' ? 9 : 10;
      // Boxes are nearly full, as in a real freezer: 80 of 81 and 90 of 100 slots.
      const count = size === 9 ? 80 : 90;
      for (let n = 0; n < count; n++) {
        const content = contents[(boxIndex * 7 + Math.floor(n / 10)) % contents.length]!;
        const row = String.fromCharCode(65 + Math.floor(n / size));
        tubes.push({
          type: 'tube',
          name: `${content.label} #${tubes.length + 1}`,
          virtualId: content.virtualId,
          parentId: boxId,
          slot: `${row}${(n % size) + 1}`,
          fields: {
            volume_ul: 50 + (n % 4) * 25,
            concentration: content.concentration,
            concentration_unit: content.unit,
            frozen_on: isoDay((boxIndex * 13 + n) % 300),
          },
        });
      }
    });
    await wave(tubes);

    let samples = 0;
    const sampleWave = async (actorOfProject: Actor, inputs: CreateSample[]) => {
      samples += inputs.length;
      items += inputs.length;
      await createSamplesInBulk(trx, actorOfProject, inputs);
    };
    if (projects.yeast) {
      const { id, manager } = projects.yeast;
      await sampleWave(
        manager,
        Array.from({ length: 24 }, (_, i) => ({
          projectId: id,
          name: `Knockout pool ${String(i + 1).padStart(2, '0')}`,
          type: 'tube',
          collectionDate: isoDay(60 + i),
          parentId: yeastBox,
          slot: `${String.fromCharCode(65 + Math.floor(i / 10))}${(i % 10) + 1}`,
          status: i < 16 ? ('stored' as const) : ('in_analysis' as const),
          fields: { volume_ul: 100 },
        })),
      );
    }
    if (projects.soil) {
      const { id, manager } = projects.soil;
      await sampleWave(
        manager,
        Array.from({ length: 48 }, (_, i) => {
          const site = ['North meadow', 'Riverbank', 'Pine stand', 'Wheat field'][Math.floor(i / 12)];
          const stored = i < 20;
          return {
            projectId: id,
            name: `${site} core ${(i % 12) + 1}`,
            type: 'tube',
            collectionDate: isoDay(320 + Math.floor(i / 12)),
            status: stored ? ('stored' as const) : ('registered' as const),
            ...(stored && {
              parentId: soilBox,
              slot: `${String.fromCharCode(65 + Math.floor(i / 9))}${(i % 9) + 1}`,
            }),
          };
        }),
      );
    }
    return { items, samples };
  });
}
