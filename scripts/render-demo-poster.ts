/**
 * Renders client/public/poster-demo.webp: the demo car, in its default paint (Bleu Abysse), on
 * the showroom background, as the viewer's 3D stage draws it. Browsers without WebGL show it
 * in place of the stage (DEMO_VEHICLE.posterUrl). Run it again when the demo car or the
 * showroom changes:
 *
 *   npm run build && ADMIN_TOKEN=… npm start            (or any running Vitrine)
 *   ADMIN_TOKEN=… npm run poster:demo -- http://127.0.0.1:3000
 *
 * It creates one event on that server (titled "Affiche de démonstration") to open a viewer page.
 * Chromium is Debian's (/usr/bin/chromium, or CHROMIUM_PATH), as in the e2e tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import sharp from 'sharp';

/** As the e2e tests launch it (playwright.config.ts, which this script does not load: it makes a data dir). */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-unsafe-swiftshader'];
const BASE = (process.argv[2] ?? process.env.VITRINE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
const OUT = path.resolve(import.meta.dirname, '../client/public/poster-demo.webp');
const SIZE = { width: 1600, height: 900 };
/**
 * The stage's default view leaves room around the car for the page's bars and captions; a
 * poster (shown whole, `contain`, on a phone) is better filled: the page is rendered this much
 * larger and its middle kept, like client/scene/posterRender.tsx narrows the camera.
 */
const ZOOM = 1.35;
const PAGE = { width: Math.round(SIZE.width * ZOOM), height: Math.round(SIZE.height * ZOOM) };
const MAX_BYTES = 120 * 1024;
/** After the first frame: the paint blend and the contact shadow's re-bake (every 0.5 s) settle. */
const SETTLE_MS = 2500;

async function main(): Promise<void> {
  const token = process.env.ADMIN_TOKEN;
  if (!token) throw new Error('Set ADMIN_TOKEN to the server’s admin token (it creates one event to open a viewer page).');
  const res = await fetch(`${BASE}/api/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Affiche de démonstration' }),
  });
  if (res.status !== 201) throw new Error(`POST /api/events answered ${res.status}: ${await res.text()}`);
  const event = (await res.json()) as { code: string };

  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: PAGE, deviceScaleFactor: 1, locale: 'fr-FR' });
    await page.goto(`${BASE}/e/${event.code}`);
    await page.getByRole('button', { name: 'Continuer sans prénom' }).click();
    // Only the 3D canvas: no bar, caption, hotspot marker or "starts soon" card in the picture.
    await page.addStyleTag({ content: 'body * { visibility: hidden !important; } [data-testid="stage"] canvas { visibility: visible !important; }' });
    await page.waitForFunction(() => performance.getEntriesByName('vitrine:first-frame').length > 0, null, { timeout: 60_000 });
    await page.waitForTimeout(SETTLE_MS);
    const canvas = page.locator('[data-testid="stage"] canvas');
    const drawn = await canvas.evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
    // A software renderer may have lowered the pixel ratio (AdaptiveResolution): say so, it shows.
    if (drawn.width < PAGE.width) console.warn(`the stage drew at ${drawn.width}×${drawn.height}, below ${PAGE.width}×${PAGE.height}: the poster is softer`);
    const box = (await canvas.boundingBox())!;
    const png = await page.screenshot({
      animations: 'disabled',
      clip: { x: box.x + (box.width - SIZE.width) / 2, y: box.y + (box.height - SIZE.height) / 2, width: SIZE.width, height: SIZE.height },
    });

    let quality = 82;
    let webp = await sharp(png).resize(SIZE.width, SIZE.height, { fit: 'cover' }).webp({ quality, effort: 6 }).toBuffer();
    while (webp.length > MAX_BYTES && quality > 40) {
      quality -= 6;
      webp = await sharp(png).resize(SIZE.width, SIZE.height, { fit: 'cover' }).webp({ quality, effort: 6 }).toBuffer();
    }
    fs.writeFileSync(OUT, webp);
    console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${SIZE.width}×${SIZE.height}, ${Math.round(webp.length / 1024)} KB (WebP quality ${quality})`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
