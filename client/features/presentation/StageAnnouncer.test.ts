import { describe, expect, it } from 'vitest';
import { DEMO_VEHICLE } from '../../../shared/vehicle.js';
import { interpolate } from '../../i18n/format.js';
import { en, fr, type MessageKey } from '../../i18n/messages.js';
import { describeStage } from './StageAnnouncer.js';

const tr = (dict: Record<MessageKey, string>, locale: 'fr' | 'en') => (key: MessageKey, vars: Record<string, string | number> = {}) => interpolate(dict[key], vars, locale);

describe('describeStage', () => {
  const paint = DEMO_VEHICLE.variants[1]!;
  const design = DEMO_VEHICLE.chapters[1]!;

  it('names the vehicle, the chapter and the paint, in French and in English', () => {
    expect(describeStage(tr(fr, 'fr'), DEMO_VEHICLE, 1, paint)).toBe(`${DEMO_VEHICLE.name}. Chapitre 2 sur ${DEMO_VEHICLE.chapters.length} : ${design.title}. Teinte ${paint.name}`);
    expect(describeStage(tr(en, 'en'), DEMO_VEHICLE, 1, paint)).toBe(`${DEMO_VEHICLE.name}. Chapter 2 of ${DEMO_VEHICLE.chapters.length}: ${design.title}. ${paint.name} paint`);
  });

  it('leaves out what there is not: no chapter before the start, no paint, a chapter index out of range', () => {
    const t = tr(fr, 'fr');
    expect(describeStage(t, DEMO_VEHICLE, null, paint)).toBe(`${DEMO_VEHICLE.name}. Teinte ${paint.name}`);
    expect(describeStage(t, DEMO_VEHICLE, 0, null)).toBe(`${DEMO_VEHICLE.name}. Chapitre 1 sur ${DEMO_VEHICLE.chapters.length} : ${DEMO_VEHICLE.chapters[0]!.title}`);
    expect(describeStage(t, { name: 'Milk Truck', chapters: [] }, 3, null)).toBe('Milk Truck');
  });
});
