/**
 * The environment a job starts with: only what a program needs to run (PATH, HOME, the locale, …), never the
 * agent's or the server's own settings — its token, DATABASE_URL, the admin password — which a job's command
 * could otherwise read.
 */
const INHERITED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'];

/** The variables of `from` a job may inherit, plus those whose names start with one of `prefixes`. */
export function inheritedEnvironment(
  from: NodeJS.ProcessEnv = process.env,
  prefixes: readonly string[] = [],
): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    if (INHERITED.includes(name) || prefixes.some((prefix) => name.startsWith(prefix)))
      environment[name] = value;
  }
  return environment;
}
