/**
 * Reference components in TypeScript, registered by component type name: a type with one of
 * these names gets the behaviour without any configuration.
 */
import { BehaviourRegistry } from '../runtime';
import { CrossvmInit } from './crossvm-init';
import { Ping, Pong } from './ping-pong';
import { PrintServer } from './print-server';
import { StringReverse } from './string-reverse';
import { SerialServer } from './serial-server';
import { TimeServer } from './time-server';

export { CrossvmInit, CROSSVM_TEST_STRING } from './crossvm-init';
export { Ping, Pong, DEFAULT_ROUNDS } from './ping-pong';
export { PrintServer } from './print-server';
export { StringReverse, STRING_REVERSE_BUFSIZE } from './string-reverse';
export { SerialServer, SerialInputSwitch, SerialServerModel, serialServerModel, escapeClient, SERIAL_ESCAPE, SERIAL_MAX_CLIENTS, SERIAL_MESSAGES, type SerialInputClient } from './serial-server';
export { TimeServer, TimeServerModel, timeServerFor, timeServerModel, serveBadged, clientOf, TIMESERVER_UNPORTED, noTimerDriverMessage, DEFAULT_TIMERS_PER_CLIENT } from './time-server';
export { readAppYaml, findAppYaml, registerAppComponents, type AppConfig } from './app';

/** A fresh registry holding the reference components (extend it with VM types or app modules). */
export function builtinBehaviours(): BehaviourRegistry {
  return new BehaviourRegistry()
    .register('PrintServer', PrintServer)
    .register('StringReverse', StringReverse)
    .register('CrossvmInit', CrossvmInit)
    .register('Ping', Ping)
    .register('Pong', Pong)
    .register('SerialServer', SerialServer)
    .register('TimeServer', TimeServer);
}
