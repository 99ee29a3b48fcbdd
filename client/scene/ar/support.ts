/**
 * Which AR this browser offers, without loading any 3D code: WebXR `immersive-ar` (Chrome on
 * Android with ARCore), AR Quick Look (Safari on iPhone and iPad: an `<a rel="ar">` opens a
 * USDZ), or none (desktops, and phones without either: the button stays hidden).
 */
export type ArMode = 'webxr' | 'quicklook';

let detected: Promise<ArMode | null> | null = null;

export function detectArMode(): Promise<ArMode | null> {
  detected ??= probe();
  return detected;
}

async function probe(): Promise<ArMode | null> {
  try {
    if (navigator.xr && (await navigator.xr.isSessionSupported('immersive-ar'))) return 'webxr';
  } catch {
    // A permissions policy or an insecure page: no WebXR here, Quick Look may still be.
  }
  try {
    if (document.createElement('a').relList.supports('ar')) return 'quicklook';
  } catch {
    /* relList.supports throws in very old browsers: no AR */
  }
  return null;
}

/**
 * What the immersive-ar session asks for: hit-test (to find the floor) is required; the DOM
 * overlay (our close button and hints) and light estimation are used where they are granted.
 */
export function arSessionInit(overlay: HTMLElement): XRSessionInit {
  return { requiredFeatures: ['hit-test'], optionalFeatures: ['dom-overlay', 'light-estimation'], domOverlay: { root: overlay } };
}
