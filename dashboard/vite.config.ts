import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard: a single-page app built into dist/dashboard, which the server answers at `/`.
 * `npm run dashboard:dev` serves it with hot reload and passes /graphql to `npm run dev` on :4000.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
    // Hashed file names under assets/ are what the server caches as immutable.
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: { '/graphql': 'http://localhost:4000' },
  },
});
