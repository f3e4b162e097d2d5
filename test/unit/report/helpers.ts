import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Platform } from '../../../src/platform';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'report');
export const FIXTURE_PLATFORMS = path.join(FIXTURES, 'platforms');

/** The fixture board's description, fixed so the goldens do not follow the board schema's growth. */
export function loadFixtureBoard(): Platform {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_PLATFORMS, 'fxboard.json'), 'utf8')) as Platform;
}

/** A fresh reports directory holding a copy of the fixture run. */
export function fixtureReportsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmconf-report-'));
  fs.cpSync(path.join(FIXTURES, 'runs', 'fxboard'), path.join(dir, 'fxboard'), { recursive: true });
  return dir;
}

export const FIXTURE_OPTIONS = { platformsDir: FIXTURE_PLATFORMS, loadBoard: loadFixtureBoard };
