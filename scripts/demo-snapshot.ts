import { openDatabase } from '../src/db.js';
import { applyMigrations } from '../src/migrations.js';
import { seedDemo } from '../src/seed/demo.js';
import { demoSnapshotKey, findDemoSnapshot, saveDemoSnapshot } from '../src/snapshot.js';

/**
 * Run by `npm install`: prepares the demo database the first `npm start` copies in
 * (src/snapshot.ts). A failure only costs that first start its speed, so it warns and lets
 * the install finish.
 */

async function main() {
  if (await findDemoSnapshot()) return;
  const started = performance.now();
  await saveDemoSnapshot(async (dataDir) => {
    const db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await applyMigrations(db.migrationAdapter());
      await seedDemo(db.prisma);
    } finally {
      await db.close();
    }
  });
  console.log(
    `citegraph: demo database prepared for the first start (${await demoSnapshotKey()}, ${((performance.now() - started) / 1000).toFixed(1)} s).`,
  );
}

await main().catch((error: unknown) => {
  console.warn(
    `citegraph: could not prepare the demo database (${error instanceof Error ? error.message : String(error)}); the first start will load it instead.`,
  );
});
