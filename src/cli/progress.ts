import { basename } from 'node:path';
import type { ImportProgress, ImportSummary } from '../ingest/run.js';

/** A one-line progress bar on a terminal: share of the file read, records per second, time left. */
export function terminalProgress(stream: NodeJS.WriteStream): ImportProgress | null {
  if (!stream.isTTY) return null;
  let shown = false;
  let last = 0;
  return {
    update({ file, read, bytesRead, size, elapsed }) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const share = size > 0 ? Math.min(1, bytesRead / size) : 0;
      const width = 24;
      const filled = Math.round(share * width);
      const rate = elapsed > 0 ? read / (elapsed / 1000) : 0;
      const left = share > 0 ? ((elapsed / 1000) * (1 - share)) / share : Number.NaN;
      const line = `${basename(file)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)} % ${read.toLocaleString('en-US')} records ${Math.round(rate).toLocaleString('en-US')}/s ETA ${clock(left)}`;
      stream.write(`\r${line.slice(0, (stream.columns || 100) - 1)}\u001b[K`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
    },
  };
}

function clock(seconds: number) {
  if (!Number.isFinite(seconds)) return '--:--';
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** The end-of-run report for people; `--json` prints the summary object instead. */
export function describeSummary(summary: ImportSummary): string {
  const n = (value: number) => value.toLocaleString('en-US');
  const lines = [
    `${summary.format} import of ${summary.input}: ${summary.status}${summary.message ? ` (${summary.message})` : ''}`,
    `  read ${n(summary.read)} · inserted ${n(summary.inserted)} · updated ${n(summary.updated)} · unchanged ${n(summary.unchanged)} · merged ${n(summary.merged)} · skipped ${n(summary.skipped)} · failed ${n(summary.failed)}`,
  ];
  const extra = [
    summary.people ? `${n(summary.people)} new people` : '',
    summary.citations ? `${n(summary.citations)} new citations` : '',
    summary.stubs ? `${n(summary.stubs)} referenced works not yet stored (kept as minimal works)` : '',
    summary.repaired ? `${n(summary.repaired)} records repaired` : '',
    summary.resumedAfterLine ? `resumed after line ${n(summary.resumedAfterLine)}` : '',
  ].filter(Boolean);
  if (extra.length) lines.push(`  ${extra.join(' · ')}`);
  lines.push(
    `  ${summary.seconds} s · ${n(summary.recordsPerSecond)} records/s · peak memory ${summary.peakMemoryMiB} MiB`,
  );
  for (const problem of summary.problems)
    lines.push(
      `  ${problem.kind}${problem.code ? ` [${problem.code}]` : ''}: ${problem.file}${problem.line ? `:${problem.line}` : ''}: ${problem.reason}`,
    );
  if (summary.problemsNotListed) lines.push(`  … and ${n(summary.problemsNotListed)} more problems (see --json)`);
  return lines.join('\n');
}
