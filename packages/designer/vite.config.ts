import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompressPlugin } from './build/precompress';

// The designer runs the same engine as the server (from source), so simulation needs no
// server round trip. `vite dev` proxies the API and live events to a local `ordo start`.
export default defineConfig({
  plugins: [react(), precompressPlugin()],
  resolve: { alias: { '@ordo/engine': path.resolve(__dirname, '../engine/src/index.ts') } },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
