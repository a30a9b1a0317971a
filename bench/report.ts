import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BenchReport {
  readonly scenario: string;
  readonly command: string;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly params: Record<string, unknown>;
  /** Measured figures: each number is ours, paired where it matters with a same-run reference. */
  readonly figures: Record<string, unknown>;
  /** Ours ÷ reference, measured side by side in the same run: what survives a noisy machine. */
  readonly ratios: Record<string, number>;
  /** Bars for the chart: label → value (one unit per chart). */
  readonly chart: { readonly title: string; readonly unit: string; readonly bars: readonly { label: string; value: number }[] };
  readonly notes: readonly string[];
}

export const RESULTS_DIR = path.resolve('bench/results');

export function machine(): Record<string, string | number> {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

const round = (n: number): number => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 1000) / 1000);

/** A horizontal bar chart as SVG, one bar per label. */
export function barChart(chart: BenchReport['chart']): string {
  const width = 720;
  const rowHeight = 26;
  const left = 260;
  const max = Math.max(...chart.bars.map((b) => b.value), 1e-9);
  const height = 50 + chart.bars.length * rowHeight;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = chart.bars
    .map((bar, i) => {
      const y = 40 + i * rowHeight;
      const w = Math.max(1, ((width - left - 90) * bar.value) / max);
      return `<text x="${left - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escape(bar.label)}</text><rect x="${left}" y="${y + 3}" width="${w.toFixed(1)}" height="16" fill="#3b6ea5"/><text x="${left + w + 6}" y="${y + 15}" font-size="12">${round(bar.value)}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif"><text x="10" y="22" font-size="15" font-weight="bold">${escape(chart.title)} (${escape(chart.unit)})</text>${rows}</svg>\n`;
}

/** Writes the JSON result, a Markdown report and an SVG chart under bench/results/. */
export function writeReport(report: BenchReport, dir = RESULTS_DIR): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, report.scenario);
  const env = machine();
  fs.writeFileSync(`${base}.json`, `${JSON.stringify({ ...report, machine: env }, null, 2)}\n`);
  fs.writeFileSync(`${base}.svg`, barChart(report.chart));
  const table = (record: Record<string, unknown>) =>
    Object.entries(record)
      .map(([k, v]) => `| ${k} | ${typeof v === 'number' ? round(v) : JSON.stringify(v)} |`)
      .join('\n');
  const md = [
    `# Benchmark: ${report.scenario}`,
    '',
    `Command: \`${report.command}\`  `,
    `Run: ${report.startedAt}, ${round(report.durationSeconds)} s  `,
    `Machine: ${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, Node ${env.node}, ${env.platform}`,
    '',
    '## Parameters',
    '| parameter | value |\n|---|---|',
    table(report.params),
    '',
    '## Figures',
    '| figure | value |\n|---|---|',
    table(report.figures),
    '',
    '## Ratios (ours ÷ reference, same run)',
    '| ratio | value |\n|---|---|',
    table(report.ratios),
    '',
    `![${report.chart.title}](${report.scenario}.svg)`,
    '',
    ...(report.notes.length > 0 ? ['## Notes', ...report.notes.map((n) => `- ${n}`), ''] : []),
  ].join('\n');
  fs.writeFileSync(`${base}.md`, md);
  return [`${base}.json`, `${base}.md`, `${base}.svg`];
}
