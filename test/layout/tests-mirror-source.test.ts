/**
 * Unit tests mirror the source: a test under test/runtime/event/ is about
 * src/runtime/event/, and so on for every area. The suites (integration,
 * e2e, hardening, browser, deployment, bundles) and test/support stay apart.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const AREAS = ['runtime', 'authoring', 'local-stack', 'operations', 'library', 'cli'];
const SUITES = [
  'integration',
  'e2e',
  'hardening',
  'browser',
  'deployment',
  'bundles',
  'package',
  'cdk',
  'support',
  'layout',
  'handlers',
];

describe('the test tree', () => {
  it('holds an area of src/, a suite or a support folder at its top, nothing else', () => {
    const folders = readdirSync('test').filter((name) => statSync(join('test', name)).isDirectory());
    expect(folders.filter((name) => !AREAS.includes(name) && !SUITES.includes(name))).toEqual([]);
    expect(readdirSync('test').filter((name) => name.endsWith('.test.ts'))).toEqual([]);
  });

  it('puts every unit test in the folder of the source it tests', () => {
    const misplaced = AREAS.flatMap((area) =>
      readdirSync(join('test', area), { recursive: true, encoding: 'utf8' })
        .filter((path) => path.endsWith('.test.ts'))
        .filter((path) => !existsSync(join('src', area, dirname(path))))
        .map((path) => join('test', area, path)),
    );
    expect(misplaced).toEqual([]);
  });

  it('finds unit tests in every area, so the check above is not vacuous', () => {
    for (const area of AREAS) expect(readdirSync(join('test', area)).length, area).toBeGreaterThan(0);
  });
});
