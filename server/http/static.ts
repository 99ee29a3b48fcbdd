import express, { Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';

/** Client-side routes: each answers the single-page app's index.html. */
export const PAGE_ROUTES = ['/', '/e/:code', '/e/:code/privacy', '/e/:code/poster', '/host/:id', '/dealer/:id', '/studio', '/replay/:code'];

export function staticRouter(clientDir: string): Router {
  const r = Router();
  const index = path.join(clientDir, 'index.html');
  // Hashed file names never change content: cache them for a year. index.html never.
  r.use('/assets', express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  r.use(express.static(clientDir, { index: false, maxAge: '1h' }));
  r.get(PAGE_ROUTES, (_req, res, next) => {
    if (!fs.existsSync(index)) return next();
    res.set('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
