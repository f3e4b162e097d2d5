/** Public API of the CAmkES component runtime (see src/camkes/README.md, "Runtime"). */
export { ComponentRuntime, ThreadContext, RuntimeUsageError } from './context';
export { DataportView } from './dataport-view';
export { BehaviourRegistry, type Behaviour, type BehaviourFactory, type ExtraThread, type MethodImpl, type ThreadCode } from './behaviour';
export { SerialOutput, type SerialLine, type SerialWriteOptions } from './serial';
export { EventState, CountingSemaphore, INT_MAX, type EventCallback } from './events';
export { RpcError, type RpcValue, type RpcResult } from './rpc';
export { serveCalls, serveThread, type ServedCall } from './serve';
export type * from './handles';
