import { PartitionProgress } from './partition-progress';

describe('PartitionProgress', () => {
  it('commits up to the first offset not yet settled', () => {
    const p = new PartitionProgress();
    expect(p.commitOffset()).toBeNull();
    for (const o of ['10', '11', '12']) p.track(o);
    expect(p.commitOffset()).toBe('10');
    p.settle('11');
    expect(p.commitOffset()).toBe('10');
    p.settle('10');
    expect(p.commitOffset()).toBe('12');
    p.settle('12');
    expect(p.commitOffset()).toBe('13');
    expect(p.pending).toBe(0);
  });
});
