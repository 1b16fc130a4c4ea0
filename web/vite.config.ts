/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// Built into web/dist and served by `est serve --web web/dist`.
// The server sends a strict CSP (no inline scripts or styles), so nothing here may inline code.
export default defineConfig({
  base: '/',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0, // keep every asset a file (CSP: img-src 'self' data: allows both, but files cache better)
    modulePreload: { polyfill: false }, // the polyfill is an inline-free module, but modern browsers do not need it
    sourcemap: false,
    reportCompressedSize: true,
    // Two pages: the app (/) and the public page for residents (/offentlig, no login).
    rollupOptions: {
      input: { main: 'index.html', offentlig: 'offentlig/index.html' },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8090' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
