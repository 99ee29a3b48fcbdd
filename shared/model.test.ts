import { describe, expect, it } from 'vitest';
import { boundingRadius, framingPose, placedBounds, placement } from './model.js';
import { DEFAULT_POSE, Pose } from './presentation.js';

describe('placement', () => {
  it('centres a model in metres on the turntable, wheels on the floor, unscaled', () => {
    const truck = { min: [-2.43, -0.26, -1.4], max: [2.44, 2.58, 1.4] } as const;
    const p = placement({ min: [...truck.min], max: [...truck.max] });
    expect(p.scale).toBe(1);
    const b = placedBounds({ min: [...truck.min], max: [...truck.max] });
    expect(b.min[1]).toBeCloseTo(0);
    expect(b.min[0] + b.max[0]).toBeCloseTo(0);
    expect(b.min[2] + b.max[2]).toBeCloseTo(0);
  });

  it('scales a model in strange units (millimetres, a 17-unit jeep) to a car length', () => {
    const mm = placedBounds({ min: [-2300, 0, -900], max: [2300, 1450, 900] });
    expect(mm.max[0] - mm.min[0]).toBeCloseTo(4.5);
    const jeep = placedBounds({ min: [-5.5, 0, -8.5], max: [5.5, 7.6, 8.1] });
    expect(Math.max(jeep.max[0] - jeep.min[0], jeep.max[2] - jeep.min[2])).toBeCloseTo(4.5);
    expect(jeep.min[1]).toBeCloseTo(0);
  });

  it('survives a degenerate box', () => {
    expect(placement({ min: [0, 0, 0], max: [0, 0, 0] }).scale).toBe(1);
  });
});

describe('framingPose', () => {
  it('frames a car-sized model about where the demo car is framed', () => {
    const pose = framingPose({ min: [-2.35, 0, -0.95], max: [2.35, 1.45, 0.95] });
    expect(Pose.safeParse(pose).success).toBe(true);
    const dist = (p: typeof pose) => Math.hypot(...p.position.map((v, i) => v - p.target[i]!));
    expect(dist(pose)).toBeGreaterThan(dist(DEFAULT_POSE) * 0.9);
    expect(dist(pose)).toBeLessThan(dist(DEFAULT_POSE) * 1.2);
    expect(pose.position[1]).toBeGreaterThan(pose.target[1]);
  });

  it('steps back for a bigger vehicle, keeping the same direction', () => {
    const car = framingPose({ min: [-2.3, 0, -1], max: [2.3, 1.5, 1] });
    const truck = framingPose({ min: [-5, 0, -1.2], max: [5, 3.5, 1.2] });
    expect(boundingRadius({ min: truck.target, max: truck.position })).toBeGreaterThan(boundingRadius({ min: car.target, max: car.position }));
    expect(Math.atan2(truck.position[0], truck.position[2])).toBeCloseTo(Math.atan2(car.position[0], car.position[2]));
  });
});
