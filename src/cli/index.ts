import { commands } from './commands.js';
import { main } from './main.js';

/** Entry point of bin/citegraph.mjs. A first Ctrl-C lets the current batch commit; a second one exits at once. */
export async function run(argv: string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping after the current batch (Ctrl-C again to quit at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await main(commands, argv, { out: process.stdout, err: process.stderr, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
