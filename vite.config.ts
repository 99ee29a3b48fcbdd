import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Writes a Brotli (.br) and a gzip (.gz) copy beside each text asset, once, at build time: the
 * server sends them as they are (server/http/static.ts), a third to a quarter of the bytes,
 * with no compression work per request.
 */
function precompress(): Plugin {
  return {
    name: 'vitrine-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const name of Object.keys(bundle)) {
        if (!/\.(js|css|svg|wasm|json)$/.test(name)) continue;
        const file = path.join(options.dir!, name);
        const data = fs.readFileSync(file);
        if (data.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
      }
    },
  };
}

// The client lives in client/ and is built to dist/client, which the server serves.
// three.js and the r3f stack go into their own chunk so the page shell paints first.
export default defineConfig({
  root: 'client',
  publicDir: 'public',
  plugins: [react(), precompress()],
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
