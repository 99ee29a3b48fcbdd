import { z } from 'zod';

const finite = z.number().finite();
/** Scene units are metres; nothing sensible lives further than 1 km from the car. */
const coord = finite.min(-1000).max(1000);
export const Vec3 = z.tuple([coord, coord, coord]);
export type Vec3 = z.infer<typeof Vec3>;

/** The presenter's camera. `t` is the host's clock in ms (used for interpolation and latency). */
export const Pose = z.object({
  position: Vec3,
  target: Vec3,
  fov: finite.min(10).max(120).optional(),
  t: finite.nonnegative(),
  /** Addition: set on a chapter's or a hotspot's pose: screens fly there instead of cutting. */
  fly: z.literal(true).optional(),
});
export type Pose = z.infer<typeof Pose>;

export const CtaKind = z.enum(['test_drive', 'quote', 'brochure', 'callback']);
export type CtaKind = z.infer<typeof CtaKind>;

export const ChapterSet = z.object({ index: z.number().int().min(0).max(99) });
export const VariantSet = z.object({ id: z.string().min(1).max(64) });
export const CtaOpen = z.object({ kind: CtaKind });
export const Empty = z.object({}).strict();
export const HotspotFocus = z.object({ id: z.string().min(1).max(64) });
/** Addition: `hotspot:open` (a viewer opened a hotspot's card; counted for the report). */
export const HotspotOpen = HotspotFocus;

/** What every screen shows besides the camera. */
export const PresentationChanged = z.object({
  chapter: z.number().int(),
  variant: z.string(),
  cta: CtaKind.nullable(),
  /** Addition: the hotspot the presenter focused (its card is open on every screen), or null. */
  hotspot: z.string().nullable(),
});
export type PresentationChanged = z.infer<typeof PresentationChanged>;

export const Presentation = PresentationChanged.extend({ pose: Pose.nullable() });
export type Presentation = z.infer<typeof Presentation>;

/** Where a new event's camera starts: three-quarter front view, eye height of a person. */
export const DEFAULT_POSE: Pose = { position: [4.6, 1.6, 5.4], target: [0, 0.6, 0], fov: 40, t: 0 };
