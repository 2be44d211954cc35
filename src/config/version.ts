/** Cairn's version, shown by `cairn --version`, the OpenAPI document and the health check. */
export const VERSION = '0.1.0';
