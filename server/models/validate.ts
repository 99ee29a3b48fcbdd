import validator, { type ValidatorMessage } from 'gltf-validator';
import type { ValidationIssue } from '../../shared/errors.js';
import { MODEL_LIMITS, type ModelLimits } from './limits.js';

export { MODEL_LIMITS, type ModelLimits } from './limits.js';

/** A problem found in a model, as the API reports it: the validator's code, a message, where. */
export interface ModelIssue extends ValidationIssue {
  code: string;
  /** JSON pointer into the glTF (e.g. `/meshes/0/primitives/1`), when the problem has one. */
  pointer?: string;
  /** Byte offset in a GLB, when the problem is in the binary container. */
  offset?: number;
}

export type ValidationResult =
  | { ok: true; format: 'glb' | 'gltf'; triangles: number; warnings: number }
  | { ok: false; message: string; issues: ModelIssue[] };

/**
 * Validator errors that three.js renders through, as warnings: a clearcoat or anisotropy
 * material without tangents (three derives the tangent frame in the shader). Khronos's own
 * ClearCoatTest sample would be refused otherwise.
 */
const SEVERITY_OVERRIDES = { MESH_PRIMITIVE_NO_TANGENT_SPACE: 1 };

/** How many of the errors the answer lists: enough to fix the file, short enough to read. */
const ISSUES_SHOWN = 10;
const EXTERNAL = 'vitrine:external-resource';

/**
 * Runs the Khronos glTF validator over the bytes: anything with an error is refused, and so is
 * anything that refers to a file outside itself (only .glb or a .gltf with data: URIs can be
 * uploaded), or that is over the limits.
 */
export async function validateModel(bytes: Uint8Array, limits: ModelLimits = MODEL_LIMITS): Promise<ValidationResult> {
  const format = isGlb(bytes) ? 'glb' : 'gltf';
  if (format === 'gltf' && !looksLikeJson(bytes)) {
    return refuse('This file is neither a binary glTF (.glb) nor glTF JSON (.gltf).', [
      { code: 'UNKNOWN_FORMAT', path: [], message: 'The file starts with neither the GLB magic "glTF" nor a JSON object.' },
    ]);
  }
  let report;
  try {
    report = await validator.validateBytes(bytes, {
      format,
      maxIssues: limits.maxIssues,
      writeTimestamp: false,
      severityOverrides: SEVERITY_OVERRIDES,
      externalResourceFunction: () => Promise.reject(new Error(EXTERNAL)),
    });
  } catch (err) {
    return refuse('The validator could not read this file as glTF.', [{ code: 'UNREADABLE', path: [], message: String(err instanceof Error ? err.message : err) }]);
  }
  const errors = report.issues.messages.filter((m) => m.severity === 0).map(toIssue);
  if (report.issues.numErrors > 0) {
    const first = errors[0];
    const more = report.issues.numErrors > 1 ? ` (and ${report.issues.numErrors - 1} more)` : '';
    const what = first ? `${first.code}: ${first.message.replace(/\.+$/, '')}` : 'errors were found';
    return refuse(`This is not a valid glTF 2.0 model: ${what}${more}.`, errors.slice(0, ISSUES_SHOWN));
  }
  const info = report.info ?? {};
  const triangles = info.totalTriangleCount ?? 0;
  if (triangles > limits.maxTriangles) {
    return refuse(`The model has ${triangles.toLocaleString('en')} triangles; at most ${limits.maxTriangles.toLocaleString('en')} are accepted.`, [
      { code: 'TOO_MANY_TRIANGLES', path: [], message: `${triangles} triangles` },
    ]);
  }
  for (const r of info.resources ?? []) {
    if (r.image && r.image.width * r.image.height > limits.maxTexturePixels) {
      return refuse(`A texture is ${r.image.width} × ${r.image.height} px; textures up to ${Math.sqrt(limits.maxTexturePixels)} × ${Math.sqrt(limits.maxTexturePixels)} px are accepted.`, [
        { code: 'TEXTURE_TOO_LARGE', path: pointerPath(r.pointer), pointer: r.pointer, message: `${r.image.width} × ${r.image.height} px` },
      ]);
    }
  }
  return { ok: true, format, triangles, warnings: report.issues.numWarnings };
}

function refuse(message: string, issues: ModelIssue[]): ValidationResult {
  return { ok: false, message, issues };
}

function toIssue(m: ValidatorMessage): ModelIssue {
  // The validator words a refused external file as an I/O error; say what it really is.
  const external = m.code === 'IO_ERROR' && m.message.includes(EXTERNAL);
  const issue: ModelIssue = external
    ? { code: 'EXTERNAL_RESOURCE', path: [], message: 'Refers to a file outside the upload: pack the model as .glb, or embed its resources as data: URIs.' }
    : { code: m.code, path: [], message: m.message };
  if (m.pointer !== undefined) {
    issue.pointer = m.pointer;
    issue.path = pointerPath(m.pointer);
  }
  if (m.offset !== undefined) issue.offset = m.offset;
  return issue;
}

/** `/meshes/0/primitives/1` → `["meshes", 0, "primitives", 1]` (RFC 6901 escapes undone). */
export function pointerPath(pointer: string): (string | number)[] {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function isGlb(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x67 && bytes[1] === 0x6c && bytes[2] === 0x54 && bytes[3] === 0x46; // "glTF"
}

/** A UTF-8 JSON object, possibly after a BOM and whitespace. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b; // "{"
}
