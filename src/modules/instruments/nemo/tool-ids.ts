/**
 * Instruments to NEMO tools. An instrument harvested from NEMO keeps `{base}tools/?id=<n>` as its `api_url`
 * (NexusLIMS's convention); this file reads the tool id out of it and says which configured NEMO server
 * serves it. Addresses are compared whole after normalising (scheme and host case, default port, trailing
 * slash), not by substring as NexusLIMS does, so `https://nemo.example.org/api/` never claims the tools of
 * `https://nemo.example.org.evil/api/` or of `https://nemo.example.org/api2/`.
 */

/** A NEMO API base URL in one spelling: lower-case scheme and host, no default port, ending in `/`. */
export function normalizeNemoAddress(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(`"${address}" is not a NEMO API address (an absolute http or https URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${address}" is not a NEMO API address (an absolute http or https URL)`);
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href; // URL already lower-cases scheme and host and drops a default port
}

export interface NemoToolRef {
  /** The NEMO API base the instrument names, normalised. */
  readonly address: string;
  readonly toolId: number;
}

/** The tool an instrument's `api_url` names, or null when it is not a NEMO tool URL (`{base}tools/?id=<n>`). */
export function parseNemoToolUrl(apiUrl: string): NemoToolRef | null {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    return null;
  }
  const match = /^(.*\/)tools\/?$/.exec(url.pathname);
  const id = url.searchParams.get('id');
  if (match === null || id === null || !/^[1-9]\d{0,15}$/.test(id)) return null;
  const toolId = Number(id);
  if (!Number.isSafeInteger(toolId)) return null;
  return { address: normalizeNemoAddress(`${url.origin}${match[1] ?? '/'}`), toolId };
}

/** The `api_url` an instrument for a NEMO tool carries. */
export function nemoToolUrl(address: string, toolId: number): string {
  return `${normalizeNemoAddress(address)}tools/?id=${toolId}`;
}

/** The configured server that serves an instrument's tool, or null when none does. */
export function serverForTool<S extends { readonly address: string }>(
  apiUrl: string,
  servers: readonly S[],
): S | null {
  const tool = parseNemoToolUrl(apiUrl);
  if (tool === null) return null;
  return servers.find((server) => normalizeNemoAddress(server.address) === tool.address) ?? null;
}

/** The instruments a server serves, by tool id: what one harvest of that server asks about. */
export function instrumentsByTool(
  address: string,
  instruments: readonly { readonly pid: string; readonly apiUrl: string }[],
): Map<number, string> {
  const normalized = normalizeNemoAddress(address);
  const byTool = new Map<number, string>();
  for (const instrument of instruments) {
    const tool = parseNemoToolUrl(instrument.apiUrl);
    if (tool !== null && tool.address === normalized) byTool.set(tool.toolId, instrument.pid);
  }
  return byTool;
}
