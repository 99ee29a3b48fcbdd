let cached: boolean | null = null;

/**
 * Whether this browser can draw the 3D stage: a WebGL 2 or WebGL 1 context can be made. Asked
 * once per page (making a context is not free, and browsers cap how many a page may hold: the
 * probe's is released at once). Without it, the stage shows the vehicle's poster instead.
 */
export function hasWebGL(): boolean {
  if (cached !== null) return cached;
  try {
    const canvas = document.createElement('canvas');
    const gl = (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) as WebGLRenderingContext | WebGL2RenderingContext | null;
    cached = gl !== null;
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    cached = false;
  }
  return cached;
}
