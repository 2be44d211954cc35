/**
 * The experiment record as Cairn keeps and serves it: one JSON document per built session, in the shape of
 * NexusLIMS's Nexus Experiment record (summary, samples, projects, acquisition activities with their setup and
 * datasets) so that `record-xml.ts` can write it as that schema's XML without losing anything the schema can
 * hold. `RecordDocumentSchema` is both the TypeScript type and the JSON Schema the API answers with and
 * `record-schema.ts` checks a document against before it is saved.
 *
 * Times are ISO 8601 with seconds and an explicit offset (`Z` or `±hh:mm`): the XML schema's `xs:dateTime`
 * wants a `T` and seconds, and a record read in another time zone must still say when the instrument ran.
 */
import { Type, type Static, type TSchema } from 'typebox';

/** `T | null` in a schema. (The HTTP layer has one too; this module's library does not depend on it.) */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** What a dataset holds, from the schema's controlled list (`nx:DatasetType`). */
export const DATASET_TYPES = ['Image', 'Spectrum', 'SpectrumImage', 'Diffraction', 'Notes', 'Misc'] as const;
export type DatasetType = (typeof DATASET_TYPES)[number];

/** Why a dataset was taken, from the schema's controlled list (`nx:DatasetRole`). */
export const DATASET_ROLES = ['Experimental', 'MasterCalibration', 'UserCalibration', 'Derived'] as const;
export type DatasetRole = (typeof DATASET_ROLES)[number];

/** The element symbols a sample may list (`nx:PeriodicTableElementType`: hydrogen to oganesson). */
// prettier-ignore
export const ELEMENT_SYMBOLS = [
  'H', 'He', 'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne', 'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar', 'K', 'Ca',
  'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr', 'Rb', 'Sr', 'Y',
  'Zr', 'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Xe', 'Cs', 'Ba', 'La', 'Ce',
  'Pr', 'Nd', 'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu', 'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir',
  'Pt', 'Au', 'Hg', 'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac', 'Th', 'Pa', 'U', 'Np', 'Pu', 'Am', 'Cm',
  'Bk', 'Cf', 'Es', 'Fm', 'Md', 'No', 'Lr', 'Rf', 'Db', 'Sg', 'Bh', 'Hs', 'Mt', 'Ds', 'Rg', 'Cn', 'Nh', 'Fl', 'Mc',
  'Lv', 'Ts', 'Og',
] as const;
export type ElementSymbol = (typeof ELEMENT_SYMBOLS)[number];

/**
 * An instant with its offset, as `xs:dateTime` accepts it: `2026-03-01T09:30:00-05:00`, fractions allowed,
 * `Z` for UTC. (`date-time` alone would also let through `t`, a space, or a leap second, which XML refuses.)
 */
export const RECORD_TIME_PATTERN =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-](0[0-9]|1[0-3]):[0-5][0-9]|[+-]14:00)$';

const RecordTime = Type.String({
  format: 'date-time',
  pattern: RECORD_TIME_PATTERN,
  description: 'ISO 8601 with seconds and offset: `2026-03-01T09:30:00-05:00`',
});

/** A link: absolute (a NEMO reservation page) or relative to Cairn (`/projects/…`). */
const Reference = Type.String({ format: 'uri-reference', minLength: 1, maxLength: 2000 });

/**
 * One named value: an activity's setup parameter (the same in every dataset of the activity) or a dataset's own
 * metadatum. `warning` marks a value the instrument is known to write unreliably (NexusLIMS's `warning="true"`).
 */
export const RecordParameterSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
    unit: Nullable(Type.String({ minLength: 1 })),
    warning: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RecordParameter = Static<typeof RecordParameterSchema>;

/** One file of an activity: where it is, what it holds, its preview and the metadata read from it. */
export const RecordDatasetSchema = Type.Object(
  {
    /** The file's name, for display. */
    name: Type.String({ minLength: 1 }),
    /** The file's path relative to the instrument data root, `/`-separated, without a leading `/`. */
    location: Type.String({ minLength: 1 }),
    type: Type.Enum(DATASET_TYPES),
    role: Type.Enum(DATASET_ROLES),
    /** The detected format: a MIME type (`image/tiff`) or a name (`Gatan DM4`). */
    format: Nullable(Type.String({ minLength: 1 })),
    /** What someone wrote about the dataset. */
    description: Nullable(Type.String()),
    /** Where the PNG preview is served from, when one was made. */
    preview: Nullable(Reference),
    metadata: Type.Array(RecordParameterSchema),
    /** What went wrong reading the file (a corrupt header, an unknown tag): the dataset is kept, with these. */
    warnings: Type.Array(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type RecordDataset = Static<typeof RecordDatasetSchema>;

/** A group of files written close together in time (one activity of the session). */
export const RecordActivitySchema = Type.Object(
  {
    start: RecordTime,
    end: RecordTime,
    /** The `id` of the record's sample this activity examined, when known. */
    sampleId: Nullable(Type.String({ minLength: 1 })),
    /** Values every dataset of the activity shares. */
    setup: Type.Array(RecordParameterSchema),
    datasets: Type.Array(RecordDatasetSchema),
  },
  { additionalProperties: false },
);
export type RecordActivity = Static<typeof RecordActivitySchema>;

/** A sample named in the reservation. */
export const RecordSampleSchema = Type.Object(
  {
    /** Unique within the record; activities refer to it by `sampleId`. */
    id: Type.String({ minLength: 1 }),
    name: Type.String({ minLength: 1 }),
    /** The persistent identifier given in the reservation, when it gave one. */
    pid: Nullable(Type.String({ minLength: 1 })),
    /** The Cairn inventory sample (`p-<uuid>`) this sample was matched to, when one matched. */
    inventoryId: Nullable(Type.String({ minLength: 1 })),
    description: Nullable(Type.String()),
    elements: Type.Array(Type.Enum(ELEMENT_SYMBOLS), { uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type RecordSample = Static<typeof RecordSampleSchema>;

/** A project the session was booked under. */
export const RecordProjectSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    /** The facility's project id (NEMO's `project_id` answer). */
    projectId: Nullable(Type.String({ minLength: 1 })),
    /** A link to the project: the Cairn project's page, or the facility's. */
    ref: Nullable(Reference),
  },
  { additionalProperties: false },
);
export type RecordProject = Static<typeof RecordProjectSchema>;

export const RecordDocumentSchema = Type.Object(
  {
    /** The record's id (a UUID), also the XML root's persistent identifier. */
    id: Type.String({ minLength: 1 }),
    title: Type.String({ minLength: 1 }),
    session: Type.Object(
      {
        /** The session_log identifier (a UUID, or a NEMO usage event's URL). */
        identifier: Type.String({ minLength: 1 }),
        start: RecordTime,
        end: RecordTime,
      },
      { additionalProperties: false },
    ),
    instrument: Type.Object(
      {
        pid: Type.String({ minLength: 1 }),
        /** The display name (NexusLIMS's `schema_name`). */
        name: Type.String({ minLength: 1 }),
        location: Type.String(),
        /** A link to the instrument elsewhere (its NEMO tool page). */
        ref: Nullable(Reference),
      },
      { additionalProperties: false },
    ),
    /** Who ran the session, as "First Last (username)". */
    experimenter: Nullable(Type.String({ minLength: 1 })),
    collaborators: Type.Array(Type.String({ minLength: 1 })),
    /** The reservation (or usage-event questions) the session was matched to; null when there was none. */
    reservation: Nullable(
      Type.Object(
        {
          start: RecordTime,
          end: RecordTime,
          /** The experiment's purpose as the user gave it. */
          motivation: Nullable(Type.String()),
          /** The reservation's page in the facility system. */
          ref: Nullable(Reference),
        },
        { additionalProperties: false },
      ),
    ),
    samples: Type.Array(RecordSampleSchema),
    projects: Type.Array(RecordProjectSchema),
    activities: Type.Array(RecordActivitySchema),
  },
  {
    additionalProperties: false,
    description: 'An experiment record (the JSON form of a Nexus Experiment record)',
  },
);
export type RecordDocument = Static<typeof RecordDocumentSchema>;
