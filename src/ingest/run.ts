import { stat } from 'node:fs/promises';
import type { Db } from '../db.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type Connection, prismaSql } from '../sql.js';
import { type Ahead, type Item, readAhead } from './ahead.js';
import { InputError } from './input.js';
import type { ProblemCode, RecordProblem } from './records.js';
import { settlePending } from './settle.js';
import type { Tx } from './sql.js';
import { StatisticsKeeper, type StatisticsPolicy } from './statistics.js';
import { reconcileRollups, WriterTurns } from './turns.js';

/**
 * The import loop every format shares: records are read as a stream, parsed one by one (a bad
 * one is reported with its file and line and skipped), written in batches, each batch in one
 * transaction together with the run's progress, so a run stopped at any point (Ctrl-C, a kill,
 * a crash) resumes after its last committed batch and ends in the same state as a run that
 * was never stopped. More failures than the error budget allows stop the run; the batches
 * already committed stay.
 */

export interface Counters {
  inserted: number;
  updated: number;
  unchanged: number;
  merged: number;
  stubs: number;
  citations: number;
  people: number;
}

export type BatchCounters = Partial<Counters> & { skipped?: number; warnings?: { line: number; reason: string }[] };

export interface ImportSummary extends Counters {
  format: string;
  input: string;
  status: 'finished' | 'failed' | 'interrupted';
  /** Why a failed or interrupted run stopped. */
  message: string | null;
  files: number;
  /** Records read, good or bad. */
  read: number;
  /** Records that repeat an earlier record of the same input, folded into it. */
  skipped: number;
  failed: number;
  /** Records imported after a repair (e.g. NUL characters removed). */
  repaired: number;
  /** The first failures and repairs, with file and line. */
  problems: (RecordProblem & { kind: 'failed' | 'repaired' | 'warning' })[];
  /** Problems beyond those listed. */
  problemsNotListed: number;
  /** Set when the run resumed an interrupted one: its counts include the interrupted run's. */
  resumedAfterLine: number | null;
  seconds: number;
  recordsPerSecond: number;
  /**
   * Records per second over the first and over the last tenth of the records this process
   * read, measured at batch ends: equal figures mean the import did not slow down as the
   * tables grew. Null for a run of fewer than ten batches.
   */
  recordsPerSecondFirstTenth: number | null;
  recordsPerSecondLastTenth: number | null;
  /** Times this run refreshed the planner's statistics (ANALYZE) as it grew the tables. */
  statisticsRefreshed: number;
  peakMemoryMiB: number;
}

export interface ImportProgress {
  update(state: { file: string; read: number; bytesRead: number; size: number; elapsed: number }): void;
  done(): void;
}

/** A record source: lines (or entries) with the parse deferred, so resumed runs skip cheaply. */
export interface RecordStream<T> {
  items: AsyncIterable<Item<T>>;
  bytesRead(): number;
  size: number;
}

export interface ImportJob<T> {
  format: string;
  /** The files of the input, absolute paths. */
  files: string[];
  open(file: string): Promise<RecordStream<T>>;
  write(tx: Tx, batch: { value: T; line: number }[], file: string): Promise<BatchCounters>;
  /** Runs in one transaction after a file's last batch (for formats that sum a whole input first). */
  finish?(tx: Tx, file: string): Promise<BatchCounters>;
  /** False for formats whose writes happen in finish(): their runs always start from the first line. */
  resumable?: boolean;
}

export interface ImportOptions {
  input: string;
  batchSize?: number;
  /** Stop when more than this share of the records read failed (checked from 100 records on). */
  maxErrorRate?: number;
  /** Start from the first line even when an interrupted run of the same file could be resumed. */
  restart?: boolean;
  progress?: ImportProgress | null;
  signal?: AbortSignal;
  /** When the import refreshes the planner's statistics as it grows the tables (see statistics.ts). */
  statistics?: StatisticsPolicy;
}

/** Records per transaction: large enough that set-based merges pay off, small enough to resume cheaply. */
export const DEFAULT_BATCH_SIZE = 5000;
const MAX_PROBLEMS = 100;
const BUDGET_SAMPLE = 100;

class BudgetExceeded extends Error {}

const budgetMessage = (error: BudgetExceeded) =>
  `stopped: ${error.message}. The batches before the stop are committed; fix the input or raise --max-errors, then run again.`;

export async function runImport<T>(db: Db, job: ImportJob<T>, options: ImportOptions): Promise<ImportSummary> {
  for (const file of job.files) await mustExist(file);
  const connection = await db.connect();
  try {
    // Staging tables are created on first use with IF NOT EXISTS, which would notice every time.
    await connection.execute(`SET client_min_messages TO warning`);
    // Batch statements are planned on estimates far above what they touch (staging and transition
    // tables carry few statistics); compiling them with JIT cost more than running them.
    await connection.execute(`SET jit TO off`);
    // A batch touches a few thousand rows of tables that grow to millions: probing their indexes
    // must look cheaper than reading them whole, or each batch costs more as the tables grow. The
    // tables a running import touches are in memory, where a random read costs about a sequential one.
    await connection.execute(`SET random_page_cost TO 1.1`);
    // A batch's merges group and hash tens of thousands of rows: in memory rather than in
    // temporary files.
    await connection.execute(`SET work_mem TO '64MB'`);
    // Each batch commits with its progress; a batch whose commit a server crash loses is simply
    // imported again by the resumed run, so the import need not wait for each commit to reach disk.
    await connection.execute(`SET synchronous_commit TO off`);
    await lockImports(connection);
    return await importFiles(db.prisma, connection, job, options);
  } finally {
    await unlockImports(connection).catch(() => undefined);
    await connection.close();
  }
}

/**
 * The same import through a Prisma client's own transactions, for the demo seed: it fills a
 * database being prepared, which no other import writes to, so it takes no import lock and
 * keeps the session's settings. Each batch is one interactive transaction.
 */
export async function importThroughPrisma<T>(
  prisma: PrismaClient,
  job: ImportJob<T>,
  options: ImportOptions,
): Promise<ImportSummary> {
  for (const file of job.files) await mustExist(file);
  const sql = prismaSql(prisma);
  const connection: Connection = {
    ...sql,
    transaction: (work) => prisma.$transaction((tx) => work(prismaSql(tx)), { timeout: 300_000, maxWait: 30_000 }),
    close: async () => {},
  };
  return importFiles(prisma, connection, job, options);
}

/** Imports into one database take turns: a second one is refused while the first runs. */
export class ImportBusyError extends InputError {
  override name = 'ImportBusyError';
}

/** Any fixed number names the lock; this one is "citegraph import" in ASCII, folded to 32 bits. */
const IMPORT_LOCK = 0x63697465;

/** How long an import waits for the lock: a killed import's server session holds it until its statement ends. */
const LOCK_WAIT_MS = 15_000;

async function lockImports(connection: Connection) {
  const until = performance.now() + LOCK_WAIT_MS;
  for (;;) {
    const [row] = await connection.query<{ locked: boolean }>(`SELECT pg_try_advisory_lock($1::int) AS locked`, [
      IMPORT_LOCK,
    ]);
    if (row?.locked) return;
    if (performance.now() >= until) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new ImportBusyError(
    'another import into this database is running; wait for it to finish, then run this one again',
  );
}

async function unlockImports(connection: Connection) {
  await connection.query(`SELECT pg_advisory_unlock($1::int)`, [IMPORT_LOCK]);
}

async function importFiles<T>(
  prisma: PrismaClient,
  connection: Connection,
  job: ImportJob<T>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxErrorRate = options.maxErrorRate ?? 0.05;
  const summary: ImportSummary = {
    format: job.format,
    input: options.input,
    status: 'finished',
    message: null,
    files: job.files.length,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    merged: 0,
    stubs: 0,
    citations: 0,
    people: 0,
    skipped: 0,
    failed: 0,
    repaired: 0,
    problems: [],
    problemsNotListed: 0,
    resumedAfterLine: null,
    seconds: 0,
    recordsPerSecond: 0,
    recordsPerSecondFirstTenth: null,
    recordsPerSecondLastTenth: null,
    statisticsRefreshed: 0,
    peakMemoryMiB: 0,
  };
  const note = (
    kind: 'failed' | 'repaired' | 'warning',
    file: string,
    line: number,
    reason: string,
    code?: ProblemCode,
  ) => {
    const text = reason.startsWith(`${file}: `) ? reason.slice(file.length + 2) : reason;
    if (summary.problems.length < MAX_PROBLEMS)
      summary.problems.push({ kind, file, line, ...(code ? { code } : {}), reason: text });
    else summary.problemsNotListed += 1;
  };
  const add = (counters: BatchCounters, file: string) => {
    for (const key of [
      'inserted',
      'updated',
      'unchanged',
      'merged',
      'skipped',
      'stubs',
      'citations',
      'people',
    ] as const)
      summary[key] += counters[key] ?? 0;
    for (const warning of counters.warnings ?? []) note('warning', file, warning.line, warning.reason);
  };
  /** Records this process read (resumed runs skip the lines committed before), with the batch-end times. */
  let processed = 0;
  const statistics = new StatisticsKeeper(options.statistics);
  await statistics.start(connection);
  const turns = await WriterTurns.start(connection);
  const rowsWritten = () => summary.inserted + summary.stubs + summary.citations + summary.people;
  const pace: { read: number; at: number }[] = [];
  const overBudget = () =>
    summary.read >= BUDGET_SAMPLE && summary.failed > maxErrorRate * summary.read
      ? `${summary.failed} of ${summary.read} records failed (${((100 * summary.failed) / summary.read).toFixed(1)} %), more than the error budget of ${(maxErrorRate * 100).toFixed(1)} %`
      : null;

  const restart = options.restart === true || job.resumable === false;
  const latest = new Map<string, Awaited<ReturnType<typeof latestRun>>>();
  for (const file of job.files) latest.set(file, restart ? null : await latestRun(prisma, job.format, file));
  // Resuming an input of several files (a snapshot folder): the files finished before the stop are done.
  const resuming = [...latest.values()].some(resumable);
  try {
    for (const file of job.files) {
      const previous = latest.get(file) ?? null;
      if (resuming && previous?.status === 'FINISHED') {
        resume(summary, previous.summary);
        continue;
      }
      const run = await startRun(prisma, job.format, file, previous);
      if (run.resumeAfter > 0) {
        summary.resumedAfterLine = run.resumeAfter;
        resume(summary, run.previous);
      }
      // The run row keeps this file's own counts, from which a resumed run continues.
      const base = summaryJson(summary) as ImportSummary;
      const problemsBefore = summary.problems.length;
      const own = (): ImportSummary => ({
        ...summary,
        ...Object.fromEntries(RESUMED_COUNTS.map((key) => [key, summary[key] - base[key] + (run.carried[key] ?? 0)])),
        problems: [...(run.carried.problems ?? []), ...summary.problems.slice(problemsBefore)].slice(0, MAX_PROBLEMS),
      });
      let lastLine = run.resumeAfter;
      let broken: InputError | null = null;
      try {
        const stream = await job.open(file);
        if (pace.length === 0) pace.push({ read: processed, at: performance.now() });
        let batch: { value: T; line: number }[] = [];
        const flush = async () => {
          const items = batch;
          batch = [];
          if (items.length === 0 && lastLine === run.resumeAfter) return;
          await connection.transaction(async (tx) => {
            if (items.length > 0) {
              add(await job.write(tx, items, file), file);
              await turns.changed(tx);
            }
            await tx.execute(`UPDATE import_run SET lines_done = $2, summary = $3::jsonb WHERE id = $1`, [
              run.id,
              lastLine,
              JSON.stringify(own()),
            ]);
          });
          const exceeded = overBudget();
          if (exceeded) throw new BudgetExceeded(exceeded);
          await statistics.afterBatch(connection, rowsWritten());
        };
        const items = readAhead(stream.items, run.resumeAfter, batchSize);
        while (!options.signal?.aborted) {
          let next: IteratorResult<Ahead<T>>;
          try {
            next = await items.next();
          } catch (error) {
            // The input broke off (e.g. a gzip that stops inflating): what was read before still imports.
            if (!(error instanceof InputError)) throw error;
            broken = error;
            break;
          }
          if (next.done) break;
          const { item, parsed } = next.value;
          if (item.line <= run.resumeAfter) continue;
          summary.read += 1;
          processed += 1;
          lastLine = item.line;
          if ('problem' in item) {
            summary.failed += 1;
            note('failed', file, item.line, item.problem, item.code);
          } else if (parsed) {
            if (!parsed.ok) {
              summary.failed += 1;
              note('failed', file, item.line, parsed.reason, 'INVALID_RECORD');
            } else {
              if (parsed.warnings?.length) {
                summary.repaired += 1;
                note('repaired', file, item.line, parsed.warnings.join('; '));
              }
              batch.push({ value: parsed.value, line: item.line });
            }
          }
          if (batch.length >= batchSize) {
            await flush();
            pace.push({ read: processed, at: performance.now() });
            options.progress?.update({
              file,
              read: summary.read + summary.skipped,
              bytesRead: stream.bytesRead(),
              size: stream.size,
              elapsed: performance.now() - started,
            });
          }
        }
        await flush();
        if (broken) throw broken;
        if (job.finish && !options.signal?.aborted) {
          const finish = job.finish;
          add(
            await connection.transaction(async (tx) => {
              const counts = await finish(tx, file);
              await turns.changed(tx);
              return counts;
            }),
            file,
          );
          await statistics.afterBatch(connection, rowsWritten());
        }
        if (options.signal?.aborted) {
          summary.status = 'interrupted';
          summary.message = `interrupted after line ${lastLine} of ${file}; run the same command again to finish`;
          break;
        }
        await finishRun(prisma, run.id, 'FINISHED', own());
      } catch (error) {
        if (error instanceof BudgetExceeded) {
          await finishRun(prisma, run.id, 'FAILED', { ...own(), status: 'failed', message: budgetMessage(error) });
          throw error;
        }
        if (!(error instanceof InputError)) throw error;
        summary.failed += 1;
        note('failed', file, lastLine + 1, error.message, error.code);
        await finishRun(prisma, run.id, 'FAILED', own());
      }
    }
    const exceeded = overBudget();
    if (exceeded && summary.status === 'finished') {
      summary.status = 'failed';
      summary.message = exceeded;
    } else if (summary.status === 'finished' && summary.failed > 0 && summary.failed >= summary.read) {
      summary.status = 'failed';
      summary.message = 'nothing was imported: every record of the input failed (see problems)';
    }
  } catch (error) {
    if (!(error instanceof BudgetExceeded)) throw error;
    summary.status = 'failed';
    summary.message = budgetMessage(error);
  } finally {
    options.progress?.done();
  }
  // What the batches left to the end of the import (a run stopped by Ctrl-C leaves it to the
  // run that resumes it).
  if (summary.status !== 'interrupted') {
    await settlePending(connection, turns);
    // Another writer committed while this import ran: each may have missed the other's rows.
    if (turns.interleaved) {
      const corrected = await reconcileRollups(connection);
      if (corrected > 0)
        note(
          'warning',
          summary.input,
          0,
          `another writer committed while this import ran: ${corrected} rollup rows were corrected from a recount`,
        );
    }
  }
  summary.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  summary.recordsPerSecond = summary.seconds > 0 ? Math.round(summary.read / summary.seconds) : summary.read;
  summary.statisticsRefreshed = statistics.refreshed;
  summary.peakMemoryMiB = Math.round(process.resourceUsage().maxRSS / 1024);
  Object.assign(summary, tenths(pace, { read: processed, at: performance.now() }));
  return summary;
}

/** Reading rates over the first and the last tenth of the records, from the batch ends. */
function tenths(pace: { read: number; at: number }[], end: { read: number; at: number }) {
  const start = pace[0];
  if (!start || pace.length < 11) return {};
  const points = [...pace, end];
  const total = end.read - start.read;
  const rate = (from: { read: number; at: number }, to: { read: number; at: number }) =>
    to.at > from.at ? Math.round(((to.read - from.read) * 1000) / (to.at - from.at)) : null;
  const firstEnd = points.find((point) => point.read - start.read >= total / 10) ?? end;
  const lastStart = [...points].reverse().find((point) => end.read - point.read >= total / 10) ?? start;
  return { recordsPerSecondFirstTenth: rate(start, firstEnd), recordsPerSecondLastTenth: rate(lastStart, end) };
}

const summaryJson = (summary: ImportSummary) => JSON.parse(JSON.stringify(summary));

async function mustExist(file: string) {
  const info = await stat(file).catch(() => null);
  if (!info) throw new InputError(`${file}: no such file or folder`);
}

const RESUMED_COUNTS = [
  'read',
  'inserted',
  'updated',
  'unchanged',
  'merged',
  'skipped',
  'failed',
  'repaired',
  'stubs',
  'citations',
  'people',
  'problemsNotListed',
] as const;

/** A resumed run continues the interrupted run's counts, so budget and summary cover the whole input. */
function resume(summary: ImportSummary, previous: unknown) {
  if (!previous || typeof previous !== 'object') return;
  const saved = previous as Partial<ImportSummary>;
  for (const key of RESUMED_COUNTS) if (typeof saved[key] === 'number') summary[key] += saved[key];
  if (Array.isArray(saved.problems))
    summary.problems.push(...saved.problems.slice(0, MAX_PROBLEMS - summary.problems.length));
}

async function fingerprintOf(file: string) {
  const info = await stat(file).catch(() => null);
  return info ? `${info.size}:${Math.round(info.mtimeMs)}` : 'missing';
}

/** The latest run of the same format over the same, unchanged file. */
async function latestRun(prisma: PrismaClient, format: string, file: string) {
  return prisma.importRun.findFirst({
    where: { format, input: file, fingerprint: await fingerprintOf(file) },
    orderBy: { id: 'desc' },
  });
}

/**
 * A run continues after its last committed batch when it was interrupted, or stopped by the
 * error budget (the only failed run whose summary says "failed": a file that could not be read
 * on fails its run with the input's status still open).
 */
function resumable(run: Awaited<ReturnType<typeof latestRun>>): run is NonNullable<typeof run> {
  if (!run || run.linesDone === 0) return false;
  return run.status === 'RUNNING' || (run.summary as Partial<ImportSummary> | null)?.status === 'failed';
}

/**
 * Starts the run of one file: after an interrupted run of it, from the line that run had
 * committed, with its counts carried over (the new run row holds them from the start, so a
 * second interruption loses nothing).
 */
async function startRun(
  prisma: PrismaClient,
  format: string,
  file: string,
  previous: Awaited<ReturnType<typeof latestRun>>,
) {
  const resuming = resumable(previous);
  const resumeAfter = resuming ? previous.linesDone : 0;
  const carried = (resuming ? previous.summary : {}) as Partial<ImportSummary>;
  const run = await prisma.importRun.create({
    data: {
      format,
      input: file,
      fingerprint: await fingerprintOf(file),
      linesDone: resumeAfter,
      summary: resuming ? (previous.summary ?? {}) : {},
    },
  });
  if (previous && previous.status === 'RUNNING')
    await prisma.importRun.update({ where: { id: previous.id }, data: { status: 'FAILED', finishedAt: new Date() } });
  return { id: run.id, resumeAfter, previous: resuming ? previous.summary : null, carried };
}

async function finishRun(prisma: PrismaClient, id: number, status: 'FINISHED' | 'FAILED', summary: ImportSummary) {
  await prisma.importRun.update({
    where: { id },
    data: { status, finishedAt: new Date(), summary: summaryJson(summary) },
  });
}
