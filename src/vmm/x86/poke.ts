import { errorAt, type SourcePos } from '../../diagnostics';
import type { Blocking } from '../../sel4';
import type { CExpr, CExternal, ParsedCFile } from '../glue';
import type { VmcallHandler } from './vmcall';
import type { X86Vmm } from './vmm';

/** The tutorial's poke hypercall token ("0..3 are taken by other hypercalls", seed 002). */
export const POKE_TOKEN = 4;

/**
 * The tutorial's `poke_handler` (seed 002, "Adding a kernel module" step 8): prints `POKE!!!` and
 * returns 0. The seed shows the format as `"POKE!!!n"`; its transcript prints `POKE!!!` on a line
 * of its own, so the lost character is the backslash of `\n` (the same seed writes `%dn` in
 * printk formats), and the reference implementation prints `POKE!!!\n`.
 */
export function pokeHandler(vmm: X86Vmm): VmcallHandler {
  return printingHandler(vmm, ['POKE!!!\n'], 0);
}

function printingHandler(vmm: X86Vmm, texts: readonly string[], ret: number): VmcallHandler {
  // eslint-disable-next-line require-yield
  return function* (): Blocking<number> {
    for (const t of texts) vmm.vm.printf(t);
    return ret;
  };
}

type CFunction = Extract<CExternal, { kind: 'function' }>;

interface Registration {
  readonly token: number;
  readonly handler: string;
  readonly pos: SourcePos;
}

/**
 * The `reg_new_handler(&vmm, fn, token)` calls in the app's VMM C (upstream adds them to Init's
 * `main_continued`; here any glue function may make them, read with the glue reader). A handler
 * defined in the glue is run as written, limited to what it does with `printf("...")` of string
 * literals (its return is taken as 0: the reader does not record return statements); a handler
 * only declared there must be the tutorial's `poke_handler`, whose reference behaviour is
 * `pokeHandler`. Registration happens after the cross-VM hooks, where the tutorial puts it.
 */
export function registerGlueHandlers(vmm: X86Vmm, files: readonly ParsedCFile[]): Registration[] {
  const fns = new Map<string, CFunction>();
  for (const f of files) for (const e of f.externals) if (e.kind === 'function' && e.body) fns.set(e.name, e);
  const regs: Registration[] = [];
  for (const f of fns.values()) {
    for (const call of f.body!.calls) {
      if (call.callee.kind !== 'ident' || call.callee.name !== 'reg_new_handler') continue;
      if (call.args.length !== 3) throw errorAt(call.pos, `reg_new_handler takes 3 arguments (vmm, handler, token), but ${call.args.length} given`);
      const [, fn, tok] = call.args;
      const name = identOf(fn);
      if (!name) throw errorAt(fn.pos, 'expected a handler function name as the second argument of reg_new_handler');
      if (tok.kind !== 'int') throw errorAt(tok.pos, 'expected an integer token as the third argument of reg_new_handler');
      const def = fns.get(name);
      if (!def && name !== 'poke_handler') throw errorAt(fn.pos, `handler '${name}' is not defined in the VMM glue; expected a function printing with printf("...") or the tutorial's poke_handler`);
      regs.push({ token: Number(tok.value), handler: name, pos: call.pos });
    }
  }
  const handlers = new Map<string, VmcallHandler>();
  for (const r of regs) {
    const def = fns.get(r.handler);
    handlers.set(r.handler, def ? printingHandler(vmm, printfTexts(def), 0) : pokeHandler(vmm));
  }
  // eslint-disable-next-line require-yield
  vmm.addInit(function* () {
    for (const r of regs) vmm.regNewHandler(r.token, r.handler, handlers.get(r.handler)!);
  });
  return regs;
}

function identOf(e: CExpr): string | null {
  if (e.kind === 'ident') return e.name;
  if (e.kind === 'unary' && e.op === '&') return identOf(e.operand);
  if (e.kind === 'cast') return identOf(e.operand);
  return null;
}

function printfTexts(f: CFunction): string[] {
  const out: string[] = [];
  for (const c of f.body!.calls) {
    if (c.callee.kind !== 'ident' || c.callee.name !== 'printf') continue;
    const fmt = c.args[0];
    if (!fmt || fmt.kind !== 'string') throw errorAt(c.pos, `in handler '${f.name}': expected printf with a string literal format`);
    if (c.args.length > 1 || /%[^%]/.test(fmt.value)) throw errorAt(fmt.pos, `in handler '${f.name}': printf conversions are not modelled; expected a plain string`);
    out.push(fmt.value.replace(/%%/g, '%'));
  }
  return out;
}
