#!/usr/bin/env node
// The citegraph command line. It runs the TypeScript sources through tsx, as `npm start` does.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/index.ts');
process.exitCode = await run(process.argv.slice(2));
