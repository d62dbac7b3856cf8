import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The api serves the build from dist/dashboard; its assets under /dashboard/.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/dashboard', import.meta.url)),
    emptyOutDir: true,
  },
});
