import { describe, expect, it } from 'vitest';
import { Hotspot, SlugId, VehicleSetup, DEMO_VEHICLE, type VehicleSetup as Setup } from '../../../shared/vehicle.js';
import {
  FINISHES,
  errorsByField,
  finishOf,
  issueMessageKey,
  moveItem,
  newChapter,
  newHotspot,
  newPaint,
  poseFromCamera,
  removeItem,
  renameItem,
  sameSetup,
  sectionOf,
  suggestChapterTitle,
  surfaceHit,
  uniqueSlug,
  variantChoices,
} from './staging.js';

const IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
/** Column-major, like three.js's Matrix4.elements. */
const columnMajor = (rows: number[][]) => [0, 1, 2, 3].flatMap((c) => [0, 1, 2, 3].map((r) => rows[r]![c]!));

const setup = (over: Partial<Setup> = {}): Setup => ({
  name: null,
  modelVariants: true,
  paints: [],
  bodyMaterials: [],
  hotspots: [],
  chapters: [],
  ...over,
});
const POSE = { position: [4, 1.5, 5] as [number, number, number], target: [0, 0.6, 0] as [number, number, number], fov: 40, t: 0 };

describe('ids made from names', () => {
  it('slugs the name and numbers a name already taken', () => {
    expect(uniqueSlug('Bleu Abysse', [], 'teinte')).toBe('bleu-abysse');
    expect(uniqueSlug('Bleu Abysse', ['bleu-abysse'], 'teinte')).toBe('bleu-abysse-2');
    expect(uniqueSlug('Bleu  abysse!', ['bleu-abysse', 'bleu-abysse-2'], 'teinte')).toBe('bleu-abysse-3');
    expect(uniqueSlug('  ', [], 'point')).toBe('point');
    expect(uniqueSlug('—', ['point'], 'point')).toBe('point-2');
  });

  it('stays a valid id when the name is long and already taken', () => {
    const long = 'Gris Graphite Métallisé Édition Première Série Limitée';
    const first = uniqueSlug(long, [], 'teinte');
    const second = uniqueSlug(long, [first], 'teinte');
    expect(second).not.toBe(first);
    expect(second.endsWith('-2')).toBe(true);
    for (const id of [first, second]) expect(SlugId.safeParse(id).success, id).toBe(true);
  });
});

describe('reordering', () => {
  it('moves an item up or down and leaves the ends alone', () => {
    expect(moveItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });

  it('never changes the list it was given', () => {
    const list = ['a', 'b'];
    moveItem(list, 0, 1);
    expect(list).toEqual(['a', 'b']);
  });
});

describe('camera → pose', () => {
  it('rounds to a tenth of a millimetre, keeps the fov and is a stored pose (t = 0)', () => {
    const pose = poseFromCamera({ x: 4.600012, y: 1.59999, z: -5.4 }, [0, 0.600049, 0], 40.000001);
    expect(pose).toEqual({ position: [4.6, 1.6, -5.4], target: [0, 0.6, 0], fov: 40, t: 0 });
  });
});

describe('click on the car → hotspot position and normal', () => {
  it('keeps the normal of an untransformed mesh', () => {
    expect(surfaceHit([1, 0.5, 0.9], [0, 0, 1], IDENTITY)).toEqual({ position: [1, 0.5, 0.9], normal: [0, 0, 1] });
  });

  it('rotates the normal with the mesh and ignores its translation', () => {
    // 90° about y, then moved: local +z faces world +x.
    const m = columnMajor([
      [0, 0, 1, 5],
      [0, 1, 0, 2],
      [-1, 0, 0, 3],
      [0, 0, 0, 1],
    ]);
    expect(surfaceHit([2, 0.4, 0], [0, 0, 1], m)!.normal).toEqual([1, 0, 0]);
  });

  it('stays perpendicular to the surface under non-uniform scale (inverse transpose), and unit length', () => {
    // Scaled ×2 along x: the slope x + y = 0 becomes x/2 + y = 0, whose normal is (1, 2, 0)/√5.
    const m = columnMajor([
      [2, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    const { normal } = surfaceHit([0, 0, 0], [Math.SQRT1_2, Math.SQRT1_2, 0], m)!;
    expect(normal[0]).toBeCloseTo(1 / Math.sqrt(5), 3);
    expect(normal[1]).toBeCloseTo(2 / Math.sqrt(5), 3);
    expect(Math.hypot(...normal)).toBeCloseTo(1, 3);
  });

  it('keeps the outward side of a mirrored mesh (negative determinant)', () => {
    const mirrored = columnMajor([
      [-1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    expect(surfaceHit([0, 0, 0], [1, 0, 0], mirrored)!.normal).toEqual([-1, 0, 0]);
  });

  it('turns a back face round to face the camera', () => {
    // The ray goes towards −z; a normal towards −z faces away from whoever clicked.
    expect(surfaceHit([0, 0, 0], [0, 0, -1], IDENTITY, [0, 0, -1])!.normal).toEqual([0, 0, 1]);
    expect(surfaceHit([0, 0, 0], [0, 0, 1], IDENTITY, [0, 0, -1])!.normal).toEqual([0, 0, 1]);
  });

  it('gives a hotspot the schema accepts', () => {
    const hit = surfaceHit({ x: 1.234567, y: 0.8, z: -0.9 }, { x: 0.3, y: 0.2, z: -0.9 }, IDENTITY)!;
    const h = newHotspot(setup(), 'Recharge', hit);
    expect(Hotspot.safeParse(h).success).toBe(true);
    expect(h.position).toEqual([1.2346, 0.8, -0.9]);
  });

  it('refuses a degenerate matrix instead of inventing a normal', () => {
    expect(surfaceHit([0, 0, 0], [0, 1, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toBeNull();
  });
});

describe('unsaved changes', () => {
  it('ignores key order and absent optional fields', () => {
    const a = setup({ chapters: [{ id: 'a', title: 'A', pose: POSE, variant: undefined }] });
    const b = JSON.parse(JSON.stringify(setup({ chapters: [{ title: 'A', id: 'a', pose: { t: 0, fov: 40, target: [0, 0.6, 0], position: [4, 1.5, 5] } }] }))) as Setup;
    expect(sameSetup(a, b)).toBe(true);
    expect(sameSetup(a, { ...b, name: 'Aura' })).toBe(false);
  });
});

describe('paints', () => {
  it('names the look of a paint: each preset as itself, any mix by its closest look', () => {
    for (const [id, finish] of Object.entries(FINISHES)) expect(finishOf(finish)).toBe(id);
    expect(finishOf(DEMO_VEHICLE.variants.find((v) => v.id === 'blanc-nacre')!)).toBe('pearl');
    expect(finishOf(DEMO_VEHICLE.variants.find((v) => v.id === 'bleu-abysse')!)).toBe('metallic');
    expect(finishOf({ metalness: 0.9, roughness: 0.3, clearcoat: 0 })).toBe('matte');
    expect(finishOf({ metalness: 0, roughness: 0.4, clearcoat: 1 })).toBe('solid');
  });

  it('makes a new paint with a fresh id that the schema accepts', () => {
    const s = setup({ paints: [newPaint(setup(), 'Teinte 1')] });
    const p = newPaint(s, 'Teinte 1');
    expect(p.id).toBe('teinte-1-2');
    expect(VehicleSetup.safeParse({ ...s, paints: [...s.paints, p] }).success).toBe(true);
  });

  it('offers the model’s own variants with the ids the server gives them, else the paints, else the demo’s', () => {
    const own = [{ name: 'Midnight', color: '#101020' }, { name: 'Midnight', color: '#101030' }, { name: '', color: '#ffffff' }];
    const choices = variantChoices(setup(), own, false);
    expect(choices.map((v) => v.id)).toEqual(['midnight', 'midnight-2', 'variante-3']);
    expect(choices.map((v) => v.modelVariant)).toEqual(['Midnight', 'Midnight', '']);
    const paints = [newPaint(setup(), 'Rouge')];
    expect(variantChoices(setup({ modelVariants: false, paints }), own, false)).toEqual(paints);
    expect(variantChoices(setup(), [], true)).toEqual(DEMO_VEHICLE.variants);
    expect(variantChoices(setup(), [], false)).toEqual([]);
  });
});

describe('renaming and removing', () => {
  const base = setup({
    modelVariants: false,
    paints: [{ id: 'teinte', name: 'Teinte', color: '#112233', ...FINISHES.metallic }],
    hotspots: [{ id: 'point-1', title: 'Point 1', text: '', position: [0, 1, 0], normal: [0, 1, 0] }],
    chapters: [{ id: 'exterieur', title: 'Extérieur', pose: POSE, variant: 'teinte', hotspot: 'point-1' }],
  });

  it('lets a new item’s id follow its name, and the chapters follow the id', () => {
    const next = renameItem(base, 'paints', 0, 'Bleu Nuit', new Set());
    expect(next.paints[0]).toMatchObject({ id: 'bleu-nuit', name: 'Bleu Nuit' });
    expect(next.chapters[0]!.variant).toBe('bleu-nuit');
    const h = renameItem(base, 'hotspots', 0, 'Recharge rapide', new Set());
    expect(h.hotspots[0]!.id).toBe('recharge-rapide');
    expect(h.chapters[0]!.hotspot).toBe('recharge-rapide');
  });

  it('keeps a saved item’s id whatever its new name', () => {
    const next = renameItem(base, 'paints', 0, 'Bleu Nuit', new Set(['teinte']));
    expect(next.paints[0]).toMatchObject({ id: 'teinte', name: 'Bleu Nuit' });
    expect(next.chapters[0]!.variant).toBe('teinte');
  });

  it('keeps the id while the name is being emptied, and never collides with another item', () => {
    expect(renameItem(base, 'chapters', 0, '', new Set()).chapters[0]!.id).toBe('exterieur');
    const two = { ...base, chapters: [...base.chapters, { id: 'prix', title: 'Prix', pose: POSE }] };
    expect(renameItem(two, 'chapters', 0, 'Prix', new Set()).chapters.map((c) => c.id)).toEqual(['prix-2', 'prix']);
  });

  it('removes a hotspot or a paint and the chapters’ references to it, keeping the chapters', () => {
    const noHotspot = removeItem(base, 'hotspots', 'point-1');
    expect(noHotspot.hotspots).toEqual([]);
    expect(noHotspot.chapters[0]).toEqual({ id: 'exterieur', title: 'Extérieur', pose: POSE, variant: 'teinte' });
    expect(VehicleSetup.safeParse(noHotspot).success).toBe(true);
    expect(removeItem(base, 'paints', 'teinte').chapters[0]).not.toHaveProperty('variant');
  });
});

describe('chapters', () => {
  const suggestions = ['Extérieur', 'Intérieur', 'Batterie & recharge', 'Prix'];
  it('suggests the first agenda title not used yet, then a numbered one', () => {
    expect(suggestChapterTitle([], suggestions, (n) => `Chapitre ${n}`)).toBe('Extérieur');
    expect(suggestChapterTitle(['extérieur ', 'Profil'], suggestions, (n) => `Chapitre ${n}`)).toBe('Intérieur');
    expect(suggestChapterTitle(suggestions, suggestions, (n) => `Chapitre ${n}`)).toBe('Chapitre 5');
  });

  it('makes a chapter with a unique id and the given view', () => {
    const s = setup({ chapters: [newChapter(setup(), 'Prix', POSE)] });
    const c = newChapter(s, 'Prix', POSE);
    expect(c).toEqual({ id: 'prix-2', title: 'Prix', pose: POSE });
  });
});

describe('errors by field', () => {
  it('maps the schema’s issue paths to fields and to the editor’s tabs', () => {
    const bad = setup({ chapters: [{ id: 'a', title: '', pose: POSE, hotspot: 'nowhere' }] });
    const result = VehicleSetup.safeParse(bad);
    expect(result.success).toBe(false);
    const errors = errorsByField(result.error!.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })));
    expect(errors.get('chapters.0.title')).toBe('a chapter needs a title');
    expect(errors.get('chapters.0.hotspot')).toBe('no hotspot "nowhere"');
    expect(sectionOf(['chapters', 2, 'variant'])).toBe('chapters');
    expect(sectionOf(['bodyMaterials', 0])).toBe('paints');
    expect(sectionOf(['name'])).toBe('vehicle');
  });

  it('words the common rules in the editor’s language, and leaves the rest to the server', () => {
    expect(issueMessageKey(['chapters', 2, 'variant'])).toBe('staging.err.chapterVariant');
    expect(issueMessageKey(['hotspots', 0, 'normal'])).toBe('staging.err.hotspotPlace');
    expect(issueMessageKey(['paints', 1, 'name'])).toBe('staging.err.paintName');
    expect(issueMessageKey(['bodyMaterials', 3])).toBe('staging.err.bodyMaterial');
    expect(issueMessageKey(['paints'])).toBeNull();
  });
});
