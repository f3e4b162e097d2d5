import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { listBoards } from '../src/platform';
import type { ConformanceWorld } from './support/world';

Then('the scenario runs for a known board', function (this: ConformanceWorld) {
  expect(listBoards()).to.include(this.platform.name);
});
