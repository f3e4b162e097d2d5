import type { KernelModule } from '../kernel/system';
import { connectionModule } from './connection';
import { consumesEventModule } from './consumes_event';
import { dataportModule } from './dataport';
import { emitsEventModule } from './emits_event';
import { pokeHiModule, pokeModule } from './poke';

/** Every loadable module the model implements, by name (the `.ko` file's `{ module }`). */
export const MODULES: ReadonlyMap<string, KernelModule> = new Map(
  [dataportModule, consumesEventModule, emitsEventModule, connectionModule, pokeModule, pokeHiModule].map((m) => [m.name, m]),
);
