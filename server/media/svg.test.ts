import { describe, expect, it } from 'vitest';
import { isSafeCss, sanitiseSvg, SvgRejected } from './svg.js';

const enc = (s: string) => new TextEncoder().encode(s);
const clean = (s: string) => sanitiseSvg(enc(s)).svg;
const wrap = (body: string, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40"${attrs}>${body}</svg>`;

/** A typical exported logo: gradient, clip path, text, a `<style>` block, editor metadata. */
const LOGO = `<?xml version="1.0" encoding="UTF-8"?>
<!-- Generator: Adobe Illustrator -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     width="240" height="80" viewBox="0 0 120 40" inkscape:version="1.3">
  <title>Aura Motors</title>
  <defs>
    <linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#e4002b"/><stop offset="1" stop-color="#7a0017"/></linearGradient>
    <clipPath id="c"><rect width="120" height="40" rx="6"/></clipPath>
    <style>.word { font: 700 18px sans-serif; fill: #fff } .mark > path { fill: url(#g) }</style>
  </defs>
  <g clip-path="url(#c)" class="mark">
    <path d="M10 30 L20 10 L30 30 Z" fill="url(#g)" stroke="#000" stroke-width="1.5"/>
    <use xlink:href="#tri" x="5"/>
    <text x="40" y="27" class="word" style="letter-spacing: 0.05em">AURA</text>
  </g>
  <inkscape:namedview id="nv"/>
</svg>`;

describe('sanitiseSvg', () => {
  it('keeps a normal logo drawn the same way, with its size from the viewBox', () => {
    const out = sanitiseSvg(enc(LOGO));
    expect(out.width).toBe(120);
    expect(out.height).toBe(40);
    for (const kept of ['<title>Aura Motors</title>', 'stop-color="#e4002b"', 'clip-path="url(#c)"', 'fill="url(#g)"', 'xlink:href="#tri"', '>AURA</text>', 'style="letter-spacing: 0.05em"', '.mark &gt; path { fill: url(#g) }']) {
      expect(out.svg).toContain(kept);
    }
    expect(out.svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" xmlns:xlink=/);
    // Editor metadata and comments are gone; the result parses again to the same thing.
    expect(out.svg).not.toMatch(/inkscape|Illustrator/);
    expect(out.removed).toEqual(['inkscape:namedview']);
    expect(clean(out.svg)).toBe(out.svg);
  });

  it('removes <script> and <foreignObject> with everything inside', () => {
    const out = sanitiseSvg(enc(wrap('<script>alert(1)</script><rect width="5" height="5"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(2)"/></div></foreignObject>')));
    expect(out.svg).not.toMatch(/script|alert|foreignObject|onerror|<div|<img/);
    expect(out.svg).toContain('<rect width="5" height="5"/>');
    expect(out.removed.sort()).toEqual(['foreignObject', 'script']);
  });

  it('removes event handler attributes, whatever their case', () => {
    const svg = clean(wrap('<rect width="5" height="5" onclick="alert(1)" ONMOUSEOVER="alert(2)"/>', ' onload="alert(3)"'));
    expect(svg).not.toMatch(/on\w+=|alert/i);
    expect(svg).toContain('<rect width="5" height="5"/>');
  });

  it('removes links and animation that could run javascript: URLs', () => {
    const svg = clean(
      wrap(
        '<a href="javascript:alert(1)"><rect width="5" height="5"/></a>' +
          '<use href="javascript:alert(2)"/><use xlink:href="  JaVaScRiPt:alert(3)"/>' +
          '<rect width="1" height="1"><set attributeName="fill" to="red"/><animate attributeName="href" values="javascript:alert(4)"/></rect>',
      ),
    );
    expect(svg).not.toMatch(/javascript|alert|<a[ >]|<set|<animate|href/i);
  });

  it('removes references to anything outside the file; keeps #fragments and embedded PNG/JPEG', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const svg = clean(
      wrap(
        '<image href="https://tracker.example/p.png" width="1" height="1"/>' +
          '<image xlink:href="//evil.example/x.svg" width="1" height="1"/>' +
          '<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="1" height="1"/>' +
          `<image href="${png}" width="2" height="2"/>` +
          '<use href="other.svg#logo"/><use href="#logo"/>',
      ),
    );
    expect(svg).not.toMatch(/tracker|evil|svg\+xml|other\.svg/);
    expect(svg).toContain(`<image href="${png}" width="2" height="2"/>`);
    expect(svg).toContain('<use href="#logo"/>');
  });

  it('removes style attributes with url(), and <style> blocks with @import or remote url()', () => {
    const svg = clean(
      wrap(
        '<style>@import url(https://evil.example/x.css);</style>' +
          '<style>rect { fill: url( "http://evil.example/p.svg#g" ) }</style>' +
          '<style>rect { background: u\\72 l(http://evil.example) }</style>' +
          '<rect width="5" height="5" style="fill: url(https://evil.example/t.png)"/>' +
          '<rect width="6" height="6" fill="url(http://evil.example/#g)"/>' +
          '<circle r="3" style="fill: url(#g); stroke: red"/>',
      ),
    );
    expect(svg).not.toMatch(/evil|@import|<style/);
    expect(svg).toContain('<rect width="5" height="5"/>');
    expect(svg).toContain('<rect width="6" height="6"/>');
    expect(svg).toContain('style="fill: url(#g); stroke: red"');
  });

  it('refuses a DOCTYPE, so an entity bomb or an external entity never expands', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${wrap('<text>&c;</text>')}`;
    expect(() => sanitiseSvg(enc(bomb))).toThrow(/DOCTYPE/);
    const xxe = `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${wrap('<text>&x;</text>')}`;
    expect(() => sanitiseSvg(enc(xxe))).toThrow(SvgRejected);
  });

  it.each([
    ['broken XML', '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect></svg>', /well-formed/],
    ['not XML at all', 'GIF89a\u0001\u0000garbage', /well-formed|not an SVG/],
    ['an XHTML page', '<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', /not an SVG/],
    ['an SVG without any size', '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', /viewBox/],
    ['UTF-16 text', '<?xml version="1.0" encoding="UTF-16"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>', /UTF-8/],
  ])('refuses %s with a message', (_what, text, message) => {
    expect(() => sanitiseSvg(enc(text))).toThrow(message);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => sanitiseSvg(new Uint8Array([0x3c, 0x73, 0x76, 0x67, 0xff, 0xfe]))).toThrow(/UTF-8/);
  });

  it('refuses absurd nesting instead of recursing without end', () => {
    const deep = '<g>'.repeat(200) + '</g>'.repeat(200);
    expect(() => sanitiseSvg(enc(wrap(deep)))).toThrow(/nested/);
  });

  it('adds the SVG namespace a hand-written file forgot, and takes width/height when there is no viewBox', () => {
    const out = sanitiseSvg(enc('<svg width="64px" height="32"><rect width="64" height="32" fill="#123456"/></svg>'));
    expect(out.svg).toContain('<svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32">');
    expect([out.width, out.height]).toEqual([64, 32]);
  });

  it('states the viewBox size as width/height when the file gives none, so an <img> gets its shape', () => {
    expect(clean('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 48"><rect width="1" height="1"/></svg>')).toContain('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="48" viewBox="0 0 200 48">');
    // One of the two given: left as the author wrote it.
    expect(clean('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 48" height="24"/>')).toContain('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 48" height="24"/>');
  });

  it('escapes text and attribute values on the way out', () => {
    const svg = clean(wrap('<text x="1">A &amp; B &lt;C&gt;</text><rect id="a&quot;b" width="1" height="1"/>'));
    expect(svg).toContain('<text x="1">A &amp; B &lt;C&gt;</text>');
    expect(svg).toContain('id="a&quot;b"');
  });
});

describe('isSafeCss', () => {
  it.each([
    ['fill: #fff', true],
    ['fill: url(#g)', true],
    ["fill: url('#g') ; stroke: url( \"#h\" )", true],
    ['fill: url(https://x.example/a)', false],
    ['fill: url(data:image/png;base64,AAAA)', false],
    ['@import "x.css"', false],
    ['fill: u\\72l(x)', false],
    ['width: expression(alert(1))', false],
  ])('%s → %s', (css, safe) => {
    expect(isSafeCss(css)).toBe(safe);
  });
});
