export { CrossVmConnections, type Gen2ConnectionSpec, type Gen2Env, type Gen2Connection } from './connections';
export * from './messages';
export { zfLog, zfLogAt, type LogSite } from './zf-log';
export { gen2SpecsFromGlue, type Gen2GlueBindings, type Gen2Glue } from './from-glue';
export { gen2Bindings } from './bindings';
