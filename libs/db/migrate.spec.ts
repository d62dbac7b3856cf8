import { migrationsToRevert, UnknownMigrationTarget } from './migrate';

describe('migrationsToRevert', () => {
  const states = [
    { name: 'A1', applied: true, known: true },
    { name: 'B2', applied: true, known: true },
    { name: 'C3', applied: true, known: true },
    { name: 'D4', applied: false, known: true },
  ];

  it('undoes the applied ones after the target, newest first', () => {
    expect(migrationsToRevert(states, 'A1')).toEqual(['C3', 'B2']);
    expect(migrationsToRevert(states, 'C3')).toEqual([]);
  });

  it('refuses a target that is unknown or not applied', () => {
    expect(() => migrationsToRevert(states, 'Z9')).toThrow(UnknownMigrationTarget);
    expect(() => migrationsToRevert(states, 'D4')).toThrow(/D4 is not an applied migration/);
  });
});
