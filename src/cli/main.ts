import { readFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { DatabaseUnavailableError, type Db, openDatabase } from '../db.js';
import { GitHistoryError } from '../ingest/formats/git.js';
import { DEFAULT_INPUT_LIMITS, InputError, withInputLimits } from '../ingest/input.js';
import { DEFAULT_BATCH_SIZE, type ImportJob, type ImportSummary, runImport } from '../ingest/run.js';
import { applyMigrations, MigrationError } from '../migrations.js';
import { describeSummary, terminalProgress } from './progress.js';

/**
 * `citegraph`: the command line. Imports and exports run against the database the server
 * uses (DATABASE_URL, or the embedded one in DATA_DIR); every command prints its own --help.
 */

export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  summary: string;
  usage: string;
  details: string;
  options: Options;
  run(positionals: string[], values: Values, io: Io): Promise<number>;
}

export interface Io {
  out: NodeJS.WritableStream;
  err: NodeJS.WriteStream;
  signal: AbortSignal;
  /** Runs `work` with the configured database, migrated to the current schema. */
  withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T>;
}

const importOptions: Options = {
  json: { type: 'boolean' },
  'batch-size': { type: 'string' },
  'max-errors': { type: 'string' },
  'max-record-bytes': { type: 'string' },
  restart: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const importOptionHelp = `Options for every import:
  --json              print the summary as JSON on stdout (counts, status, problems with file and line)
  --batch-size <n>    records per transaction (default 5000, at most 50000)
  --max-errors <p>    stop when more than p % of the records read are bad (default 5; checked from 100 records on)
  --max-record-bytes <n>
                      refuse lines and CSV records longer than n bytes (default 4194304, 4 MiB)
  --restart           start from the first line even if an interrupted run of this file could be resumed
Interrupting (Ctrl-C) finishes the current batch and stops; running the same command again
resumes after the last committed batch. Importing a file twice changes nothing the second time.`;

function numberOption(values: Values, name: string, fallback: number, check: (value: number) => boolean) {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(String(text).replace(/%$/, ''));
  if (!Number.isFinite(value) || !check(value)) throw new UsageError(`--${name} ${String(text)} is not valid`);
  return value;
}

export async function runImportCommand<T>(
  io: Io,
  values: Values,
  input: string,
  job: () => Promise<ImportJob<T>> | ImportJob<T>,
): Promise<number> {
  const batchSize = numberOption(
    values,
    'batch-size',
    DEFAULT_BATCH_SIZE,
    (value) => Number.isInteger(value) && value >= 1 && value <= 50_000,
  );
  const maxErrors = numberOption(values, 'max-errors', 5, (value) => value >= 0 && value <= 100);
  const maxRecordBytes = numberOption(
    values,
    'max-record-bytes',
    DEFAULT_INPUT_LIMITS.maxRecordBytes,
    (value) => Number.isInteger(value) && value >= 1024 && value <= 256 * 1024 * 1024,
  );
  const summary = await withInputLimits({ maxRecordBytes }, () =>
    io.withDatabase(async (db) =>
      runImport(db, await job(), {
        input,
        batchSize,
        maxErrorRate: maxErrors / 100,
        restart: values.restart === true,
        progress: values.json ? null : terminalProgress(io.err),
        signal: io.signal,
      }),
    ),
  );
  printSummary(io, values, summary);
  return summary.status === 'finished' ? 0 : summary.status === 'interrupted' ? 130 : 1;
}

export function printSummary(io: Io, values: Values, summary: ImportSummary) {
  if (values.json) io.out.write(`${JSON.stringify(summary, null, 2)}\n`);
  else io.err.write(`${describeSummary(summary)}\n`);
}

export function importCommand(
  name: string,
  summary: string,
  usage: string,
  details: string,
  extra: Options,
  job: (positionals: string[], values: Values) => Promise<ImportJob<unknown>> | ImportJob<unknown>,
  following?: (positionals: string[], values: Values, io: Io) => Promise<number>,
): Command {
  return {
    name: `import ${name}`,
    summary,
    usage,
    details: `${details}\n\n${importOptionHelp}`,
    options: { ...importOptions, ...extra },
    async run(positionals, values, io) {
      const input = positionals[0];
      if (!input || positionals.length > 1) throw new UsageError(`usage: ${usage}`);
      const code = await runImportCommand(io, values, input, () => job(positionals, values));
      if (code !== 0 || !following) return code;
      return following(positionals, values, io);
    },
  };
}

export function helpText(command: Command): string {
  return `${command.summary}\n\nUsage: ${command.usage}\n\n${command.details}\n`;
}

export function overview(commands: Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `citegraph: import citation data into citegraph's database, and export it.

Usage: citegraph <command> [options]   (citegraph <command> --help for details)
       citegraph --version

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

The database is the server's: DATABASE_URL (PostgreSQL), or the embedded one in DATA_DIR
(default ./.data; stop the server first, the embedded database has one user at a time).
`;
}

export async function main(
  commands: Command[],
  argv: string[],
  io: Omit<Io, 'withDatabase'> & Partial<Pick<Io, 'withDatabase'>>,
): Promise<number> {
  const full: Io = { withDatabase, ...io };
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    io.out.write(`citegraph ${await packageVersion()}\n`);
    return 0;
  }
  // The command's words are the arguments that are neither options nor option values.
  const valued = new Set(
    commands.flatMap((command) =>
      Object.entries(command.options).flatMap(([name, option]) =>
        option.type === 'string' ? [`--${name}`, ...(option.short ? [`-${option.short}`] : [])] : [],
      ),
    ),
  );
  const words = argv.filter((arg, index) => !arg.startsWith('-') && !valued.has(argv[index - 1] ?? ''));
  const command =
    commands.find((candidate) => candidate.name === words.slice(0, 2).join(' ')) ??
    commands.find((candidate) => candidate.name === words[0]);
  if (!command) {
    const help = argv.length === 0 || argv.includes('--help') || argv.includes('-h') || argv[0] === 'help';
    (help ? io.out : io.err).write(
      help ? overview(commands) : `Unknown command: ${argv.join(' ')}\n\n${overview(commands)}`,
    );
    return help ? 0 : 2;
  }
  const rest = [...argv];
  for (const word of command.name.split(' ')) rest.splice(rest.indexOf(word), 1);
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: command.options,
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.out.write(helpText(command));
      return 0;
    }
    return await command.run(positionals, values as Values, full);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err.write(`${(error as Error).message}\n\n${helpText(command)}`);
      return 2;
    }
    if (
      error instanceof ConfigError ||
      error instanceof DatabaseUnavailableError ||
      error instanceof MigrationError ||
      error instanceof InputError ||
      error instanceof GitHistoryError
    ) {
      io.err.write(`citegraph ${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function withDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase(loadConfig().database);
  try {
    await applyMigrations(db.migrationAdapter(), db.prisma);
    return await work(db);
  } finally {
    await db.close();
  }
}

/** The version in package.json: the command line runs from the sources, beside it. */
async function packageVersion(): Promise<string> {
  const text = await readFile(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}
