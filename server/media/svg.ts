import type * as xmldomModule from '@xmldom/xmldom';
import { lazyRequire } from '../lazy.js';

/**
 * SVG sanitiser for uploaded logos. An SVG is a document that can run script, load other
 * resources and restyle a page, so nothing is passed through: the file is parsed as XML and a
 * new document is written from an allowlist of drawing elements and attributes. Anything else
 * (script, foreignObject, event handlers, links, animation, editor metadata) is left out.
 * What cannot be parsed is refused, never "repaired".
 */

const xmldom = lazyRequire<typeof xmldomModule>('@xmldom/xmldom');

export class SvgRejected extends Error {}

export interface SanitisedSvg {
  svg: string;
  width: number;
  height: number;
  /** Element names left out (for logs and tests); attributes dropped are not listed. */
  removed: string[];
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Deeper than any real logo; bounds the recursive walk. */
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 20_000;

/** Drawing, text, paint servers, clipping/masking and common filters. No script, links, animation, foreignObject. */
const ELEMENTS = new Set([
  'svg', 'g', 'defs', 'title', 'desc', 'symbol', 'use', 'switch',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker',
  'image', 'style',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feDropShadow', 'feFlood',
  'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR', 'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset',
]);

const ATTRIBUTES = new Set([
  'id', 'class', 'style', 'version', 'viewBox', 'preserveAspectRatio', 'transform',
  'x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'fr', 'width', 'height', 'd', 'points', 'pathLength',
  'fill', 'fill-opacity', 'fill-rule', 'stroke', 'stroke-width', 'stroke-linecap', 'stroke-linejoin', 'stroke-miterlimit',
  'stroke-dasharray', 'stroke-dashoffset', 'stroke-opacity', 'opacity', 'color', 'display', 'visibility', 'overflow',
  'paint-order', 'vector-effect', 'shape-rendering', 'image-rendering', 'color-interpolation', 'color-interpolation-filters', 'isolation', 'mix-blend-mode',
  'clip-path', 'clip-rule', 'clipPathUnits', 'mask', 'maskUnits', 'maskContentUnits',
  'gradientUnits', 'gradientTransform', 'spreadMethod', 'offset', 'stop-color', 'stop-opacity',
  'patternUnits', 'patternContentUnits', 'patternTransform',
  'marker-start', 'marker-mid', 'marker-end', 'markerWidth', 'markerHeight', 'markerUnits', 'refX', 'refY', 'orient',
  'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant', 'font-stretch', 'text-anchor', 'dominant-baseline',
  'alignment-baseline', 'baseline-shift', 'letter-spacing', 'word-spacing', 'text-decoration', 'text-rendering', 'writing-mode',
  'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust', 'startOffset', 'method', 'spacing', 'side',
  'filter', 'filterUnits', 'primitiveUnits', 'in', 'in2', 'result', 'stdDeviation', 'edgeMode', 'mode', 'type', 'values',
  'tableValues', 'slope', 'intercept', 'amplitude', 'exponent', 'operator', 'k1', 'k2', 'k3', 'k4', 'radius',
  'flood-color', 'flood-opacity', 'lighting-color',
]);

/** Elements whose `href` may point inside the document; only `image` may embed a picture. */
const HREF_ELEMENTS = new Set(['use', 'textPath', 'linearGradient', 'radialGradient', 'pattern', 'filter', 'image']);
const FRAGMENT = /^#[A-Za-z_][\w.:-]*$/;
/** An embedded PNG or JPEG: it cannot run script or fetch anything (SVG data: URLs could). */
const DATA_IMAGE = /^data:image\/(png|jpeg);base64,[A-Za-z0-9+/=\s]+$/;

/**
 * CSS (a `style` attribute, a `<style>` element, a presentation attribute) may only reference
 * the document itself: `url(#id)`. No @import, no escapes (they can spell anything), no
 * legacy script hooks.
 */
export function isSafeCss(css: string): boolean {
  if (/[\\]|@import|expression\s*\(|javascript:|behavior\s*:|-moz-binding|<\//i.test(css)) return false;
  const urls = css.match(/url\s*\(/gi)?.length ?? 0;
  const local = css.match(/url\s*\(\s*(['"]?)#[\w.:-]+\1\s*\)/gi)?.length ?? 0;
  return urls === local;
}

/** Parses, checks and rewrites an uploaded SVG; throws SvgRejected with a message for the person uploading. */
export function sanitiseSvg(bytes: Uint8Array): SanitisedSvg {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new SvgRejected('The SVG is not UTF-8 text.');
  }
  // A DTD can declare entities (billion laughs) and external resources: real logos have none.
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new SvgRejected('SVG files with a DOCTYPE or ENTITY declaration are not accepted: export the logo again as plain SVG.');
  const encoding = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(text)?.[1];
  if (encoding && !/^utf-?8$/i.test(encoding)) throw new SvgRejected(`The SVG declares the ${encoding} encoding: only UTF-8 is accepted.`);

  let doc: Document;
  try {
    doc = new (xmldom().DOMParser)({
      onError: (level, message) => {
        if (level !== 'warning') throw new SvgRejected(`The SVG is not well-formed XML (${message.split('\n')[0]}).`);
      },
    }).parseFromString(text, 'image/svg+xml') as unknown as Document;
  } catch (err) {
    if (err instanceof SvgRejected) throw err;
    const cause = (err as Error).cause;
    throw cause instanceof SvgRejected ? cause : new SvgRejected('The SVG is not well-formed XML.');
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'svg' || (root.namespaceURI !== SVG_NS && root.namespaceURI !== null)) {
    throw new SvgRejected('The file is not an SVG image (its root element is not <svg>).');
  }

  const size = sizeOf(root);
  if (!size) throw new SvgRejected('The SVG has no size: give it a viewBox (or width and height).');
  const writer = new Writer();
  // A viewBox alone gives an <img> no intrinsic size (browsers fall back to 300 × 150): state it.
  if (!root.hasAttribute('width') && !root.hasAttribute('height')) writer.rootSize = size;
  writer.element(root, 0);
  return { svg: writer.result(), ...size, removed: [...writer.removed] };
}

class Writer {
  private out: string[] = [];
  private count = 0;
  private usesXlink = false;
  readonly removed = new Set<string>();
  rootSize: { width: number; height: number } | null = null;

  result(): string {
    const svg = this.out.join('');
    // The root is written first; its namespace declarations go in now that we know what is used.
    const size = this.rootSize ? ` width="${this.rootSize.width}" height="${this.rootSize.height}"` : '';
    const ns = `<svg xmlns="${SVG_NS}"${this.usesXlink ? ` xmlns:xlink="${XLINK_NS}"` : ''}${size}`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n${ns}${svg.slice('<svg'.length)}`;
  }

  element(el: Element, depth: number): void {
    if (depth > MAX_DEPTH) throw new SvgRejected('The SVG is nested too deeply.');
    if (++this.count > MAX_ELEMENTS) throw new SvgRejected('The SVG has too many elements for a logo.');
    const name = el.localName;
    if (!ELEMENTS.has(name) || (el.namespaceURI !== SVG_NS && el.namespaceURI !== null)) {
      this.removed.add(el.prefix ? `${el.prefix}:${name}` : name);
      return;
    }
    if (name === 'style') return this.style(el);

    this.out.push(`<${name}`);
    for (const attr of Array.from(el.attributes)) {
      const written = this.attribute(name, attr);
      if (written) this.out.push(` ${written[0]}="${escapeAttr(written[1])}"`);
    }
    const children = Array.from(el.childNodes);
    if (children.length === 0) {
      this.out.push('/>');
      return;
    }
    this.out.push('>');
    for (const child of children) {
      if (child.nodeType === 1) this.element(child as Element, depth + 1);
      else if (child.nodeType === 3 || child.nodeType === 4) this.out.push(escapeText(child.nodeValue ?? ''));
      // Comments and processing instructions are left out.
    }
    this.out.push(`</${name}>`);
  }

  /** `<style>`: text only, kept whole when its CSS is safe, left out whole otherwise. */
  private style(el: Element): void {
    const css = Array.from(el.childNodes)
      .filter((n) => n.nodeType === 3 || n.nodeType === 4)
      .map((n) => n.nodeValue ?? '')
      .join('');
    if (Array.from(el.childNodes).some((n) => n.nodeType === 1) || !isSafeCss(css)) {
      this.removed.add('style');
      return;
    }
    this.out.push(`<style>${escapeText(css)}</style>`);
  }

  /** The attribute as it is written out, or null to leave it out. */
  private attribute(element: string, attr: Attr): [string, string] | null {
    const value = attr.value;
    const ns = attr.namespaceURI;
    if (attr.localName === 'href' && (ns === null || ns === XLINK_NS)) {
      if (!HREF_ELEMENTS.has(element)) return null;
      const v = value.trim();
      if (!(FRAGMENT.test(v) || (element === 'image' && DATA_IMAGE.test(v)))) return null;
      if (ns === XLINK_NS) {
        this.usesXlink = true;
        return ['xlink:href', v];
      }
      return ['href', v];
    }
    if (ns === XML_NS && attr.localName === 'space') return ['xml:space', value === 'preserve' ? 'preserve' : 'default'];
    // xmlns declarations are written by `result`; other namespaces (editors' own) are dropped.
    if (ns !== null || attr.name.includes(':') || attr.name === 'xmlns') return null;
    if (!ATTRIBUTES.has(attr.localName ?? attr.name)) return null;
    if (!isSafeCss(value)) return null;
    return [attr.name, value];
  }
}

/** The drawing's size: the viewBox, else plain width/height (px or unitless). */
function sizeOf(root: Element): { width: number; height: number } | null {
  const box = (root.getAttribute('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
  if (box.length === 4 && box.every(Number.isFinite) && box[2]! > 0 && box[3]! > 0) return { width: box[2]!, height: box[3]! };
  const px = (v: string | null) => {
    const m = /^\s*([\d.]+)\s*(px)?\s*$/.exec(v ?? '');
    const n = m ? Number(m[1]) : NaN;
    return Number.isFinite(n) && n > 0 ? n : null;
  };
  const width = px(root.getAttribute('width'));
  const height = px(root.getAttribute('height'));
  return width && height ? { width, height } : null;
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttr(s: string): string {
  return escapeText(s).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
