import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { loadPlatform, type Platform } from '../../src/platform';

export interface ConformanceParameters {
  /** The board this run is for; set by the runner (see README, "Platform binding"). */
  board: string;
  /** Seed for every choice the simulation leaves open. */
  seed: number;
}

/** One World per scenario: the board it runs for and the simulated system it builds. */
export class ConformanceWorld extends World<ConformanceParameters> {
  readonly platform: Platform;
  readonly seed: number;

  constructor(options: IWorldOptions<ConformanceParameters>) {
    super(options);
    const board = options.parameters.board ?? process.env.VMCONF_BOARD ?? 'qemu-arm-virt';
    this.platform = loadPlatform(board);
    this.seed = options.parameters.seed ?? 1;
  }
}

setWorldConstructor(ConformanceWorld);
