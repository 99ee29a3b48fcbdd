import express, { Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';

/** Client-side routes: each answers the single-page app's index.html. */
export const PAGE_ROUTES = ['/', '/e/:code', '/e/:code/privacy', '/e/:code/poster', '/host/:id', '/dealer/:id', '/report/:id', '/studio', '/replay/:code'];

export function staticRouter(clientDir: string): Router {
  const r = Router();
  const index = path.join(clientDir, 'index.html');
  const assets = path.join(clientDir, 'assets');
  // The build's Brotli or gzip copy when the browser takes it (vite.config.ts `precompress`).
  r.use('/assets', (req, res, next) => {
    res.vary('Accept-Encoding');
    // Brotli whenever taken (browsers list gzip first at equal weight), else gzip.
    const accepted = req.acceptsEncodings('br') ? 'br' : req.acceptsEncodings('gzip') ? 'gzip' : null;
    const name = path.posix.basename(req.path);
    if (!accepted || !/^[\w.-]+$/.test(name)) return next();
    const file = path.join(assets, `${name}.${accepted === 'br' ? 'br' : 'gz'}`);
    if (!fs.existsSync(file)) return next();
    res.set('Content-Encoding', accepted);
    res.type(path.extname(name));
    res.sendFile(file, { immutable: true, maxAge: '1y' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
  // Hashed file names never change content: cache them for a year. index.html never.
  r.use('/assets', express.static(assets, { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  r.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  r.get(PAGE_ROUTES, (_req, res, next) => {
    if (!fs.existsSync(index)) return next();
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
