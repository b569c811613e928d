import { defineConfig } from 'vite';

// Built with `npm run build:console` (`vite build src/console`): this folder is the root, the bundle
// lands in dist/console and the server serves it at /console. No CDN: every byte is in the bundle.
export default defineConfig({
  base: '/console/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../dist/console',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 400,
  },
  logLevel: 'warn',
});
