import module from 'node:module';

/**
 * `npm start`: the production server. Node 22 and later keep the compiled code of the modules
 * on disk between starts (a second start compiles nothing); then the server's own modules load.
 */
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const { main, exitOnStartFailure } = await import('./serve.js');
await main().catch(exitOnStartFailure);
