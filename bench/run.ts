/**
 * `npm run bench [-- <name>…]`: runs every registered benchmark (bench/benchmarks.ts), or those named,
 * prints a table (figure, baseline measured in the same run, ratio, target, PASS/MISS) and writes the
 * results to bench/results/latest.json. Exit status: 0 when every target is met, 1 on a MISS or a failure.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchmarks } from './benchmarks.js';
import {
  BenchmarkFailure,
  ratioOf,
  verdictOf,
  type BenchmarkOutcome,
  type Comparison,
  type Verdict,
} from './support/benchmark.js';
import { REPO_ROOT } from './support/servers.js';

interface Ran {
  readonly name: string;
  readonly description: string;
  readonly seconds: number;
  readonly outcome: BenchmarkOutcome | null;
  readonly error: string | null;
}

function usage(): string {
  return `usage: npm run bench [-- <name>…]\nbenchmarks:\n${benchmarks.map((b) => `  ${b.name.padEnd(16)} ${b.description}`).join('\n')}\n`;
}

function gitCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--', 'src'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }).trim() !== '';
    return dirty ? `${head} (src modified)` : head;
  } catch {
    return null;
  }
}

function formatNumber(value: number): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function targetText(comparison: Comparison): string {
  if (comparison.target === null) return '—';
  return `${comparison.better === 'higher' ? '≥' : '≤'} ${comparison.target.toFixed(2)}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const [head, ...body] = rows;
  return [line(head ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function report(ran: readonly Ran[]): string {
  const rows: string[][] = [['benchmark', 'metric', 'figure', 'baseline', 'ratio', 'target', 'result']];
  const sections: string[] = [];
  for (const item of ran) {
    if (item.outcome === null) {
      rows.push([item.name, '—', '—', '—', '—', '—', 'FAIL']);
      sections.push(`${item.name}: FAILED — ${item.error ?? 'unknown error'}`);
      continue;
    }
    if (item.outcome.comparisons.length === 0) rows.push([item.name, '—', '—', '—', '—', '—', 'SKIP']);
    for (const c of item.outcome.comparisons) {
      rows.push([
        item.name,
        c.metric,
        `${formatNumber(c.figure)} ${c.unit}`,
        `${formatNumber(c.baseline)} ${c.unit}`,
        ratioOf(c).toFixed(2),
        targetText(c),
        verdictOf(c),
      ]);
    }
    const labels = [
      ...new Set(
        item.outcome.comparisons.map((c) => `figure: ${c.figureLabel}; baseline: ${c.baselineLabel}`),
      ),
    ];
    sections.push(
      [
        `${item.name} (${item.seconds.toFixed(0)} s): ${item.description}`,
        ...labels,
        ...item.outcome.notes,
      ].join('\n  '),
    );
  }
  return `${table(rows)}\n\n${sections.join('\n\n')}\n`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(usage());
    return 0;
  }
  const unknown = args.filter((name) => !benchmarks.some((b) => b.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const selected = args.length === 0 ? benchmarks : benchmarks.filter((b) => args.includes(b.name));
  const ran: Ran[] = [];
  for (const benchmark of selected) {
    const log = (message: string) => process.stderr.write(`[${benchmark.name}] ${message}\n`);
    log(benchmark.description);
    const start = performance.now();
    try {
      const outcome = await benchmark.run({ log });
      ran.push({
        name: benchmark.name,
        description: benchmark.description,
        seconds: (performance.now() - start) / 1000,
        outcome,
        error: null,
      });
    } catch (error) {
      const message =
        error instanceof BenchmarkFailure
          ? error.message
          : error instanceof Error
            ? (error.stack ?? error.message)
            : String(error);
      log(`failed: ${message}`);
      ran.push({
        name: benchmark.name,
        description: benchmark.description,
        seconds: (performance.now() - start) / 1000,
        outcome: null,
        error: message,
      });
    }
  }

  process.stdout.write(`\n${report(ran)}`);
  const verdicts: Verdict[] = ran.flatMap((item) =>
    item.outcome === null ? ['MISS' as const] : item.outcome.comparisons.map(verdictOf),
  );
  const failed = ran.some((item) => item.outcome === null);

  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, 'latest.json');
  const json = {
    date: new Date().toISOString(),
    commit: gitCommit(),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? null,
    },
    benchmarks: ran.map((item) => ({
      name: item.name,
      description: item.description,
      seconds: Math.round(item.seconds * 10) / 10,
      status:
        item.outcome === null
          ? 'FAIL'
          : item.outcome.comparisons.length === 0
            ? 'SKIP'
            : item.outcome.comparisons.some((c) => verdictOf(c) === 'MISS')
              ? 'MISS'
              : 'PASS',
      error: item.error,
      comparisons:
        item.outcome?.comparisons.map((c) => ({ ...c, ratio: ratioOf(c), result: verdictOf(c) })) ?? [],
      notes: item.outcome?.notes ?? [],
      details: item.outcome?.details ?? {},
    })),
  };
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file)}\n`);
  return failed || verdicts.includes('MISS') ? 1 : 0;
}

process.exitCode = await main();
