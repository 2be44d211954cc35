/**
 * The API explorer at /api/docs: swagger-ui (@fastify/swagger-ui) over Cairn's OpenAPI document.
 *
 * Two things make it more than a plugin registration:
 * - swagger-ui reads an OpenAPI 3.1 document through ApiDOM, which on a document of Cairn's size takes
 *   several times as long before the endpoint list shows as its older resolver takes over the same document
 *   in 3.0. So the explorer is given a 3.0 rendering of the document (`toOpenApi30`), while
 *   `/api/openapi.json`, which clients and the web UI's type generator read, stays 3.1.
 * - The explorer's pages keep the security headers every Cairn page gets (security-headers.ts) rather than
 *   the plugin's own CSP. swagger-ui needs one inline style — the `<style>` inside its logo SVG, which it
 *   renders from its bundle — and Cairn's page policy allows inline styles only because the web UI's
 *   components set them. The explorer runs no such components, so its pages get a stricter style-src: only
 *   its own files and that one style by hash (a file cannot replace markup the bundle renders).
 */
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { App } from './app-context.js';

const API_EXPLORER_PREFIX = '/api/docs';

/** The `<style>` of swagger-ui's logo SVG: `.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}`. */
const LOGO_STYLE_HASH = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

/** Serves swagger-ui at /api/docs over a 3.0 rendering of the app's OpenAPI document. */
export async function registerApiExplorer(app: App): Promise<void> {
  // The document is fixed once the app is ready, so it is converted once (from the plugin's own copy, which
  // the conversion never changes).
  let explorerDocument: Record<string, unknown> | undefined;
  await app.register(fastifySwaggerUi, {
    routePrefix: API_EXPLORER_PREFIX,
    uiConfig: { docExpansion: 'list', defaultModelsExpandDepth: -1, validatorUrl: null },
    transformSpecificationClone: false,
    transformSpecification: (document) => (explorerDocument ??= toOpenApi30(document)),
    // The hook the plugin adds for this only runs for its own routes.
    transformStaticCSP: (policy) => withExplorerStyles(policy),
  });
}

/** The page policy with style-src narrowed to the explorer's files and its logo's style. */
export function withExplorerStyles(policy: string): string {
  return policy
    .split(';')
    .map((directive) =>
      directive.trim().startsWith('style-src ') ? `style-src 'self' ${LOGO_STYLE_HASH}` : directive,
    )
    .join(';');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * An OpenAPI 3.1 document rendered as 3.0 for swagger-ui: in every schema, `null` as a type becomes
 * `nullable`, `const` a one-value `enum`, `examples` one `example`, numeric `exclusiveMinimum`/`Maximum` the
 * boolean form, and boolean schemas `{}`/`{ not: {} }`; the parts 3.0 lacks (webhooks, the JSON Schema
 * dialect) are left out. Everything else is kept as it is.
 */
export function toOpenApi30(document: Record<string, unknown>): Record<string, unknown> {
  const { webhooks: _webhooks, jsonSchemaDialect: _dialect, ...rest } = document;
  return shareProblemSchema({ ...(convertObjects(rest as JsonObject) as JsonObject), openapi: '3.0.3' });
}

/**
 * The problem document's schema, repeated in every error response (most of the document's size), given once
 * as `components.schemas.Problem` and referred to: swagger-ui then reads and renders it once. Variants (the
 * imports' 422, which lists problems by row) stay where they are.
 */
function shareProblemSchema(document: JsonObject): JsonObject {
  const isProblemSchema = (schema: JsonObject) =>
    typeof schema.description === 'string' && schema.description.startsWith('RFC 9457 problem');
  let problem: Json | undefined;
  let problemText: string | undefined;
  const share = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(share);
    if (!isObject(value)) return value;
    const shared: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === 'schema' && isObject(child) && isProblemSchema(child)) {
        const text = JSON.stringify(child);
        problemText ??= text;
        problem ??= child;
        shared[key] = text === problemText ? { $ref: '#/components/schemas/Problem' } : child;
      } else shared[key] = share(child);
    }
    return shared;
  };
  const paths = share(document.paths ?? {});
  if (problem === undefined) return document;
  const components = isObject(document.components) ? document.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  return { ...document, paths, components: { ...components, schemas: { ...schemas, Problem: problem } } };
}

/** Walks OpenAPI objects (not schemas) and converts each schema it finds under `schema` or `schemas`. */
function convertObjects(value: Json): Json {
  if (Array.isArray(value)) return value.map(convertObjects);
  if (!isObject(value)) return value;
  const converted: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'schema') converted[key] = convertSchema(child);
    else if (key === 'schemas' && isObject(child)) converted[key] = mapValues(child, convertSchema);
    else if (key === 'example' || key === 'examples') converted[key] = child;
    else converted[key] = convertObjects(child);
  }
  return converted;
}

const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions'];
const SUBSCHEMAS = ['items', 'not', 'additionalProperties'];

function convertSchema(schema: Json): Json {
  if (schema === true) return {};
  if (schema === false) return { not: {} };
  if (!isObject(schema)) return schema;
  let converted: JsonObject = {};
  for (const [key, child] of Object.entries(schema)) {
    if (SUBSCHEMA_LISTS.includes(key) && Array.isArray(child)) converted[key] = child.map(convertSchema);
    else if (SUBSCHEMA_MAPS.includes(key) && isObject(child))
      converted[key] = mapValues(child, convertSchema);
    else if (SUBSCHEMAS.includes(key) && typeof child !== 'boolean') converted[key] = convertSchema(child);
    else if (key === 'const') converted.enum = [child];
    else if (key === 'examples' && Array.isArray(child)) {
      if (child.length > 0) converted.example = child[0] ?? null;
    } else if ((key === 'exclusiveMinimum' || key === 'exclusiveMaximum') && typeof child === 'number') {
      converted[key === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = child;
      converted[key] = true;
    } else if (key !== '$schema' && key !== '$id') converted[key] = child;
  }
  if (Array.isArray(converted.type)) converted = withTypeList(converted, converted.type);
  for (const key of ['anyOf', 'oneOf']) {
    const choices = converted[key];
    if (Array.isArray(choices)) converted = withoutNullChoice(converted, key, choices);
  }
  return converted;
}

/** `type: [a, 'null']` → `type: a, nullable: true`; several types besides null become an `anyOf`. */
function withTypeList(schema: JsonObject, types: Json[]): JsonObject {
  const { type: _types, ...rest } = schema;
  const nonNull = types.filter((type) => type !== 'null');
  const converted: JsonObject =
    nonNull.length === 1
      ? { ...rest, type: nonNull[0] ?? null }
      : { ...rest, anyOf: nonNull.map((type) => ({ type })) };
  if (nonNull.length < types.length) converted.nullable = true;
  return converted;
}

/** `anyOf: [X, { type: 'null' }]` → X with `nullable: true` (or the other choices, nullable). */
function withoutNullChoice(schema: JsonObject, key: string, choices: Json[]): JsonObject {
  const isNull = (choice: Json) =>
    isObject(choice) && choice.type === 'null' && Object.keys(choice).length === 1;
  const others = choices.filter((choice) => !isNull(choice));
  if (others.length === choices.length) return schema;
  const { [key]: _choices, ...rest } = schema;
  const [only] = others;
  if (others.length === 1 && isObject(only)) return { ...only, ...rest, nullable: true };
  return { ...rest, [key]: others, nullable: true };
}

function mapValues(object: JsonObject, convert: (value: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, convert(value)]));
}
