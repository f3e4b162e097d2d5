/**
 * Public entry of the CAmkES ADL front end (parsing only; resolution and checks come later).
 * The implementation is split by concept under ./parse/.
 */
export { parseCamkes } from './parse/file';
export {
  loadCamkes, BUILTIN_IMPORT_DIR,
  type LoadOptions, type PreprocessFn, type PreprocessOptions, type PreprocessResult,
} from './parse/load';
