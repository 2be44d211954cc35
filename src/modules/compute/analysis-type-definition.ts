/**
 * The shape of an analysis type's definition, as a file in `analysis-types/` or a body of
 * `POST /api/analysis-types` says it. Types are declared, not coded (spec §2): the command is a template of
 * arguments, the parameters a JSON Schema, the inputs a rule over the sample's files, the outputs globs inside
 * the job's `outputs/`, and the resources what the job asks the scheduler for.
 *
 * Command templates: each element is one argument. `{params.NAME}` inside an element is replaced by the
 * parameter's value (the element stays one argument, whatever the value holds); an element that is exactly
 * `{inputs}` becomes one argument per input file (`inputs/<name>`); `{resources.cpus}` is the CPU count.
 */
import { Type, type Static } from 'typebox';

const NAME = '^[a-z0-9][a-z0-9-]{0,62}$';
const VERSION = '^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$';

export const AnalysisTypeResourcesSchema = Type.Object(
  {
    cpus: Type.Integer({ minimum: 1, maximum: 1024 }),
    memory: Type.String({ pattern: '^[1-9][0-9]{0,8}[KMGT]$', description: 'sbatch `--mem`: `512M`, `4G`' }),
    time: Type.String({
      maxLength: 20,
      description: 'Slurm time limit, `[D-]HH:MM:SS` or minutes',
    }),
  },
  { additionalProperties: false },
);

export const AnalysisTypeInputsSchema = Type.Object(
  {
    /** Glob over the file's name, `*` and `?`, with `{a,b}` alternatives: `*.{fastq,fq}{,.gz}`. */
    namePattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** Detected content types accepted (`text/plain`, `application/gzip`, …). */
    contentTypes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 })),
    /** The fewest matching files the analysis needs (refused with 422 otherwise). */
    min: Type.Integer({ minimum: 0, maximum: 10_000 }),
    max: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

export const AnalysisTypeOutputSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME }),
    /** A path inside `outputs/`, its last part a glob: `outputs/*.fastq`. */
    path: Type.String({ pattern: '^outputs/[^\\0]{1,200}$' }),
    required: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

export const AnalysisTypeDefinitionSchema = Type.Object(
  {
    name: Type.String({ pattern: NAME, description: 'lower-case letters, digits and dashes' }),
    version: Type.String({ pattern: VERSION }),
    description: Type.String({ maxLength: 20_000 }),
    command: Type.Array(Type.String({ maxLength: 4000 }), { minItems: 1, maxItems: 500 }),
    /** A JSON Schema of type object; unknown parameters are refused whatever it says. */
    parameters: Type.Record(Type.String(), Type.Unknown()),
    inputs: AnalysisTypeInputsSchema,
    outputs: Type.Array(AnalysisTypeOutputSchema, { maxItems: 50 }),
    /** Where the command's standard output goes, a path inside `outputs/` (else it is the job's stdout log). */
    stdoutTo: Type.Optional(Type.String({ pattern: '^outputs/[^*?\\0]{1,200}$' })),
    resources: AnalysisTypeResourcesSchema,
    /** Tool name → the argument vector that prints its version; the job runs each before the command. */
    toolVersions: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' }),
        Type.Array(Type.String(), { minItems: 1 }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type AnalysisTypeDefinition = Static<typeof AnalysisTypeDefinitionSchema>;
