import type { LogLevel } from './config.js';

/** One leveled logger, writing a line per event to stderr; Yoga receives the same object. */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(level: LogLevel): Logger {
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (...args: unknown[]) => {
      if (rank[name] < rank[level]) return;
      const text = args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(' ');
      process.stderr.write(`${new Date().toISOString()} ${name.toUpperCase()} ${text}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
