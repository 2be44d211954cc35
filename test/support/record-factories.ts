/**
 * Test factories for experiment records: a valid record document of a whole session (reservation, samples,
 * projects, activities of datasets with metadata), any part replaced through overrides.
 */
import type {
  RecordActivity,
  RecordDataset,
  RecordDocument,
  RecordParameter,
} from '../../src/modules/records/record-document.js';

export function buildRecordDataset(overrides: Partial<RecordDataset> = {}): RecordDataset {
  return {
    name: 'image_001.tif',
    location: 'Titan/jdoe/2026-03-01/image_001.tif',
    type: 'Image',
    role: 'Experimental',
    format: 'image/tiff',
    description: null,
    preview: '/api/records/previews/image_001.png',
    metadata: [
      { name: 'Magnification', value: 50_000, unit: null },
      { name: 'Dwell Time', value: 3.2, unit: 'µs' },
      { name: 'Operator', value: 'jdoe', unit: null, warning: true },
    ],
    warnings: [],
    ...overrides,
  };
}

export function buildRecordActivity(overrides: Partial<RecordActivity> = {}): RecordActivity {
  return {
    start: '2026-03-01T09:12:00-05:00',
    end: '2026-03-01T09:40:30-05:00',
    sampleId: 'sample-1',
    setup: [
      { name: 'Accelerating Voltage', value: 300, unit: 'kV' },
      { name: 'Vacuum OK', value: true, unit: null },
    ] satisfies RecordParameter[],
    datasets: [buildRecordDataset()],
    ...overrides,
  };
}

export function buildRecordDocument(overrides: Partial<RecordDocument> = {}): RecordDocument {
  return {
    id: '0195a3c4-7d2e-7c1a-9b1e-3f5d6a7b8c9d',
    title: 'Grain boundaries in annealed steel',
    session: {
      identifier: 'https://nemo.example.org/api/usage_events/?id=4182',
      start: '2026-03-01T09:00:00-05:00',
      end: '2026-03-01T12:00:00-05:00',
    },
    instrument: {
      pid: 'FEI-Titan-TEM-635816',
      name: 'FEI Titan TEM',
      location: 'Building 217, room F113',
      ref: 'https://nemo.example.org/api/tools/?id=7',
    },
    experimenter: 'Jane Doe (jdoe)',
    collaborators: ['Ari Kim (akim)'],
    reservation: {
      start: '2026-03-01T08:45:00-05:00',
      end: '2026-03-01T12:15:00-05:00',
      motivation: 'Measure grain size after the 600 °C anneal.',
      ref: 'https://nemo.example.org/event_details/reservation/991/',
    },
    samples: [
      {
        id: 'sample-1',
        name: 'Steel coupon A',
        pid: 'NX-SAMPLE-0042',
        inventoryId: null,
        description: 'Polished, etched with nital.',
        elements: ['Fe', 'C', 'Mn'],
      },
    ],
    projects: [{ name: 'Alloy microstructure', projectId: 'AM-2026', ref: null }],
    activities: [buildRecordActivity()],
    ...overrides,
  };
}
