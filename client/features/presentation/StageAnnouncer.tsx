import type { PaintVariant, Vehicle } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';

type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * What the 3D stage shows, in words: the vehicle, the chapter on screen (null: none, e.g. before
 * the start) and the paint. Nothing about the camera: it moves many times a second, and a screen
 * reader reading each pose would drown the presentation. Pure: unit-tested.
 */
export function describeStage(t: T, vehicle: Pick<Vehicle, 'name' | 'chapters'>, chapter: number | null, paint: Pick<PaintVariant, 'name'> | null): string {
  const current = chapter === null ? undefined : vehicle.chapters[chapter];
  return [
    vehicle.name,
    current ? t('stage.chapter', { n: chapter! + 1, total: vehicle.chapters.length, title: current.title }) : null,
    paint ? t('stage.paint', { paint: paint.name }) : null,
  ]
    .filter(Boolean)
    .join('. ');
}

/**
 * The stage's text alternative, for people who cannot see the car: a polite live region beside
 * it that is read again whenever the vehicle, the chapter or the paint changes (the same text
 * after a re-render changes nothing in the DOM, so nothing is read twice).
 */
export function StageAnnouncer({ vehicle, chapter, paint }: { vehicle: Vehicle; chapter: number | null; paint: PaintVariant | null }) {
  const { t } = useI18n();
  return (
    <p className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="stage-description">
      {describeStage(t, vehicle, chapter, paint)}
    </p>
  );
}
