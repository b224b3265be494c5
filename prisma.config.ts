import { defineConfig } from 'prisma/config';

// The CLI reads the datasource URL from here; the server builds its own adapter in src/db.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/citegraph' },
});
