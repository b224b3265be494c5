// Generates the Prisma client and the Pothos types after `npm install`.
// `prisma generate` needs no schema engine, but the CLI looks for one first: pointing it at
// any existing file keeps it from trying to download a native binary.
import { spawnSync } from 'node:child_process';

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const result = spawnSync('npx', ['prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
