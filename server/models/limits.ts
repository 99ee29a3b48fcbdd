/**
 * The limits a model upload is held to, apart from the validator (validate.ts) that applies them
 * in the worker: the main process reads them without loading gltf-validator (~1.9 MB of heap).
 */
/** The limits a model must stay within before anything decodes it. */
export interface ModelLimits {
  /** The validator stops collecting issues past this many (a broken file can have millions). */
  maxIssues: number;
  /** Triangles over the whole default scene, as the validator counts them. */
  maxTriangles: number;
  /** Width × height of any one texture, read from its header; bigger ones are never decoded. */
  maxTexturePixels: number;
}

export const MODEL_LIMITS: ModelLimits = {
  maxIssues: 100,
  maxTriangles: 5_000_000,
  maxTexturePixels: 8192 * 8192,
};
