import { ImageUtils, Logger, NodeIO, type Document, type Texture } from '@gltf-transform/core';
import { ALL_EXTENSIONS } from '@gltf-transform/extensions';
import { compressTexture, dedup, getTextureColorSpace, meshopt, metalRough, prune, weld } from '@gltf-transform/functions';
import draco3d from 'draco3dgltf';
import { MeshoptDecoder, MeshoptEncoder } from 'meshoptimizer';
import sharp, { type SharpOptions } from 'sharp';

/** Textures are resized to fit in this square: more is wasted on any screen a launch is watched on. */
export const MAX_TEXTURE_SIZE_PX = 2048;
/** JPEG quality of re-encoded colour textures. */
const JPEG_QUALITY = 85;

/**
 * glTF-Transform's reader and writer with every Khronos extension, the Draco decoder (so
 * Draco-compressed uploads can be read and re-encoded) and meshopt (read and write).
 */
export async function createIO(): Promise<NodeIO> {
  await Promise.all([MeshoptDecoder.ready, MeshoptEncoder.ready]);
  return new NodeIO().setLogger(SILENT).registerExtensions(ALL_EXTENSIONS).registerDependencies({
    'draco3d.decoder': await draco3d.createDecoderModule(),
    'meshopt.decoder': MeshoptDecoder,
    'meshopt.encoder': MeshoptEncoder,
  });
}

/** glTF-Transform narrates every step; the server's log is not the place. */
const SILENT = new Logger(Logger.Verbosity.SILENT);

export async function readModel(io: NodeIO, bytes: Uint8Array, format: 'glb' | 'gltf'): Promise<Document> {
  if (format === 'glb') return (await io.readBinary(bytes)).setLogger(SILENT);
  const json = JSON.parse(new TextDecoder().decode(bytes)) as Parameters<NodeIO['readJSON']>[0]['json'];
  // Only data: URIs are left (the validator refused anything else); the reader decodes them.
  return (await io.readJSON({ json, resources: {} })).setLogger(SILENT);
}

/**
 * Makes a model cheap for phones without changing how it looks:
 * - spec/gloss materials (an old extension three.js no longer reads) become metal/rough;
 * - duplicate and unused data go, vertices are welded;
 * - textures larger than 2048 px are resized; opaque PNG colour maps become JPEG; a texture
 *   is only replaced when the new one is smaller or had to be resized;
 * - geometry is quantised and compressed with meshopt (EXT_meshopt_compression), which
 *   three.js decodes with a small WASM decoder we bundle. Draco on input is decoded and
 *   replaced by meshopt, so viewers need only one geometry decoder.
 */
export async function optimise(doc: Document, maxTexturePixels: number): Promise<void> {
  sharp.concurrency(1); // two cores, shared with live rooms
  const root = doc.getRoot();
  const usesSpecGloss = root.listExtensionsUsed().some((e) => e.extensionName === 'KHR_materials_pbrSpecularGlossiness');
  await doc.transform(...(usesSpecGloss ? [metalRough()] : []), dedup(), prune(), weld());
  for (const texture of root.listTextures()) await shrinkTexture(texture, maxTexturePixels);
  // Geometry goes out as meshopt: drop Draco so the writer does not encode it again.
  for (const ext of root.listExtensionsUsed()) if (ext.extensionName === 'KHR_draco_mesh_compression') ext.dispose();
  await doc.transform(meshopt({ encoder: MeshoptEncoder, level: 'medium' }));
}

const RESIZABLE = new Set(['image/png', 'image/jpeg', 'image/webp']);

async function shrinkTexture(texture: Texture, maxTexturePixels: number): Promise<void> {
  const image = texture.getImage();
  const mimeType = texture.getMimeType();
  // KTX2/Basis and unknown formats stay as they are: we cannot re-encode them here.
  if (!image || !RESIZABLE.has(mimeType)) return;
  const size = ImageUtils.getSize(image, mimeType);
  if (!size || size[0] * size[1] > maxTexturePixels) return;
  const tooBig = size[0] > MAX_TEXTURE_SIZE_PX || size[1] > MAX_TEXTURE_SIZE_PX;
  const opaqueColourPng = mimeType === 'image/png' && getTextureColorSpace(texture) === 'srgb' && !(await sharp(image, { limitInputPixels: maxTexturePixels }).metadata()).hasAlpha;
  if (!tooBig && !opaqueColourPng) return;
  const before = { image, mimeType, uri: texture.getURI() };
  // sharp refuses to decode anything over the pixel limit, whatever glTF-Transform asks of it.
  const boundedSharp = ((input: Uint8Array, options?: SharpOptions) => sharp(input, { ...options, limitInputPixels: maxTexturePixels })) as unknown as typeof sharp;
  await compressTexture(texture, {
    encoder: boundedSharp,
    ...(opaqueColourPng ? { targetFormat: 'jpeg' as const, quality: JPEG_QUALITY } : {}),
    ...(tooBig ? { resize: [MAX_TEXTURE_SIZE_PX, MAX_TEXTURE_SIZE_PX] as [number, number] } : {}),
  });
  const after = texture.getImage();
  if (!tooBig && after && after.byteLength >= before.image.byteLength) {
    texture.setImage(before.image).setMimeType(before.mimeType).setURI(before.uri);
  }
}
