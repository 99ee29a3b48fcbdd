import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The client lives in client/ and is built to dist/client, which the server serves.
// three.js and the r3f stack go into their own chunk so the page shell paints first.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          // React first: a manual chunk takes the dependencies nobody else claims, and the r3f
          // stack depends on React, which would pull the whole 3D chunk into every page's start.
          if (/node_modules\/(react|react-dom|scheduler|use-sync-external-store)\//.test(id)) return 'react';
          // AR only (USDZ export, WebXR): left to the lazy AR chunk, not every 3D viewer's download.
          if (/node_modules\/three\/examples\/jsm\/(exporters|webxr|environments)\/|node_modules\/three\/examples\/jsm\/libs\/fflate/.test(id)) return undefined;
          if (/node_modules\/(three|@react-three|three-stdlib|troika|maath|meshline|camera-controls)/.test(id)) return 'three';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
