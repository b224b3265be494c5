import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogLevel } from './config.js';

/**
 * One leveled logger, writing a line per event to stderr; Yoga receives the same object.
 * As text for people (`2026-12-03T10:00:00.000Z INFO message`) or as one JSON object a line for
 * log collectors (`{"time":…,"level":"info","msg":…}`). A line logged while a request is being
 * answered carries that request's id, the one its response echoes in `x-request-id`.
 */
export interface Logger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export type LogFormat = 'text' | 'json';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** The request a line is logged for, when it is logged while answering one. */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

const isFields = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !(value instanceof Error) && !Array.isArray(value);

export function createLogger(level: LogLevel, format: LogFormat = 'text'): Logger {
  const at =
    (name: Exclude<LogLevel, 'silent'>) =>
    (...args: unknown[]) => {
      if (rank[name] < rank[level]) return;
      // A trailing plain object holds fields of the event (JSON keys, or key=value in text).
      const fields = args.length > 1 && isFields(args.at(-1)) ? (args.pop() as Record<string, unknown>) : {};
      const error = args.find((arg): arg is Error => arg instanceof Error);
      const message = args
        .map((arg) => (arg instanceof Error ? arg.message : typeof arg === 'string' ? arg : JSON.stringify(arg)))
        .join(' ');
      const requestId = requestContext.getStore()?.requestId;
      const time = new Date().toISOString();
      if (format === 'json') {
        const line = {
          time,
          level: name,
          msg: message,
          ...(requestId ? { requestId } : {}),
          ...fields,
          ...(error?.stack ? { stack: error.stack } : {}),
        };
        process.stderr.write(`${JSON.stringify(line)}\n`);
        return;
      }
      const extra = Object.entries({ ...fields, ...(requestId ? { requestId } : {}) })
        .map(([key, value]) => ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join('');
      const stack = error?.stack ? `\n${error.stack}` : '';
      process.stderr.write(`${time} ${name.toUpperCase()} ${message}${extra}${stack}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
