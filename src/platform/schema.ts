import type { Node } from 'yaml';
import { DiagnosticError, diagnostic, type Diagnostic } from '../diagnostics';
import { parseYamlPositioned } from '../diagnostics/yaml';
import type { Arch, Family, Platform } from './types';
import { Reader, type Field, type Fields, type Src } from './yaml-read';
import { fmtRange, overlaps, readProvenance, type Ctx } from './schema-common';
import {
  readBoot, readConsole, readCores, readCrossVm, readFeatures, readGic, readGuest, readHypervisor, readInterrupts,
  readPic, readSel4, readSmp, readTimer, readVirtio, readVpci,
} from './schema-sections';
import { readApps } from './schema-apps';

const VGIC_LAST_LINE = 255;
const ARCHS: readonly Arch[] = ['aarch64', 'aarch32', 'x86_64', 'ia32'];
/** Keys that describe the file itself; a variant never inherits them from its base. */
const OWN_KEYS = ['name', 'arch', 'title', 'variant_of', 'source', 'note', 'unconfirmed', 'conflicts'];
const SECTIONS = ['sel4', 'guest', 'hypervisor', 'cores', 'smp', 'interrupts', 'console', 'virtio', 'cross_vm', 'boot', 'features', 'apps'];
const ARM_ONLY = ['gic', 'timer', 'vpci'];
const X86_ONLY = ['pic'];

export interface BoardText {
  readonly text: string;
  /** The path printed in diagnostics, e.g. `platforms/tx2.yaml`. */
  readonly file: string;
}

export interface ValidateOptions {
  /** The board name the file must declare (its basename). */
  readonly name?: string;
  /** Reads another board's file, for `variant_of`; undefined when there is no such board. */
  readonly readBoard?: (name: string) => BoardText | undefined;
  readonly dtsFile?: string;
}

function parse(b: BoardText): { src: Src } | { errors: Diagnostic[] } {
  const { yaml, errors } = parseYamlPositioned(b.file, b.text);
  if (errors.length) return { errors };
  return { src: { file: b.file, lc: yaml.lc, doc: yaml.doc } };
}

/**
 * Validates one board description and returns it typed. Every problem in the file is reported
 * (one DiagnosticError carrying all of them, in file order); nothing else is ever thrown.
 */
export function validateBoard(board: BoardText, opts: ValidateOptions = {}): Platform {
  const p = parse(board);
  if ('errors' in p) throw new DiagnosticError(p.errors);
  const r = new Reader();
  const ctx: Ctx = { r, irqs: [], deviceRegions: [], vpciRegions: [] };
  const src = p.src;
  const root = src.doc.contents;
  const top = r.fields(src, root, 'the board description');
  if (!top) throw new DiagnosticError(r.errors);

  const fields: Fields = new Map(top);
  const variantOf = top.has('variant_of') ? r.str(top.get('variant_of'), 'variant_of') : undefined;
  // Without its base a variant is mostly missing sections; report why the base is missing instead.
  if (variantOf !== undefined && !inherit(ctx, fields, top.get('variant_of') as Field, variantOf, opts)) throw new DiagnosticError(sortErrors(r.errors));

  const name = r.str(fields.get('name'), 'name');
  const nf = fields.get('name');
  if (name !== undefined && opts.name !== undefined && name !== opts.name && nf)
    r.error(nf.src, r.node(nf), `expected name to be '${opts.name}', the file's name`);
  const arch = r.oneOf(fields.get('arch'), 'arch', ARCHS);
  const family: Family = arch === 'x86_64' || arch === 'ia32' ? 'x86' : 'arm';
  const familyKeys = family === 'arm' ? ARM_ONLY : X86_ONLY;
  const required = ['name', 'arch', 'title', 'source', ...SECTIONS, ...(family === 'arm' ? ['gic', 'timer'] : ['pic'])];
  r.checkKeys(src, root, fields, 'the board description', required, [...OWN_KEYS, ...familyKeys]);
  for (const k of family === 'arm' ? X86_ONLY : ARM_ONLY) {
    const f = fields.get(k);
    if (f && arch) r.error(f.src, f.keyNode, `'${k}' describes ${family === 'arm' ? 'x86' : 'Arm'} boards; this board's arch is ${arch}`);
  }
  const prov = readProvenance(ctx, top, 'the board description', [...required, ...OWN_KEYS, ...familyKeys], root as Node, src);

  const sel4 = readSel4(ctx, fields.get('sel4'));
  const guest = readGuest(ctx, fields.get('guest'));
  const hypervisor = readHypervisor(ctx, fields.get('hypervisor'));
  const cores = readCores(ctx, fields.get('cores'));
  const smp = readSmp(ctx, fields.get('smp'));
  const interrupts = readInterrupts(ctx, fields.get('interrupts'));
  const gic = family === 'arm' ? readGic(ctx, fields.get('gic')) : undefined;
  const pic = family === 'x86' ? readPic(ctx, fields.get('pic')) : undefined;
  const timer = family === 'arm' ? readTimer(ctx, fields.get('timer')) : undefined;
  const console = readConsole(ctx, fields.get('console'));
  const vpci = family === 'arm' ? readVpci(ctx, fields.get('vpci')) : undefined;
  const virtio = readVirtio(ctx, fields.get('virtio'));
  const crossVm = readCrossVm(ctx, fields.get('cross_vm'));
  const boot = readBoot(ctx, fields.get('boot'));
  const features = readFeatures(ctx, fields.get('features'));
  checkWindows(ctx);
  const apps = arch ? readApps(ctx, fields.get('apps'), family, arch) : {};

  if (interrupts) {
    for (const ref of ctx.irqs) {
      // Lines the VMM injects go through the vGIC, which advertises 256 lines (GICD_TYPER 0xfce7,
      // platforms.md §1.3) whatever the kernel's MAX_IRQ; on x86 both are guest PIC lines.
      if (ref.virtual && family === 'arm') {
        if (ref.value > VGIC_LAST_LINE)
          r.error(ref.fld.src, r.node(ref.fld), `expected ${ref.what} to be at most ${VGIC_LAST_LINE}, the last line of the virtual GIC, got ${ref.value}`);
      } else if (ref.value > interrupts.maxIrq)
        r.error(ref.fld.src, r.node(ref.fld), `expected ${ref.what} to be at most the board's max_irq ${interrupts.maxIrq}, got ${ref.value}`);
    }
  }
  if (gic?.version === 3 && hypervisor && hypervisor.vmm !== 'unsupported' && hypervisor.vmmField) {
    const f = hypervisor.vmmField;
    r.error(f.src, r.node(f), `expected hypervisor.vmm to be 'unsupported' on a GICv3 board: libsel4vm implements only a virtual GICv2 (platforms.md §1.3)`);
  }
  // The cross-VM line of an Arm board is free_plat_interrupts[0] (VM_Arm get_crossvm_irq_num()).
  if (family === 'arm' && interrupts && crossVm?.irqField) {
    const want = interrupts.free[0];
    const f = crossVm.irqField;
    if (want !== crossVm.irq)
      r.error(f.src, r.node(f), want === undefined
        ? 'expected cross_vm.irq to be null: interrupts.free is empty, so the board has no cross-VM line'
        : `expected cross_vm.irq to be ${want}, the first entry of interrupts.free (free_plat_interrupts[0])`);
  }

  if (r.errors.length) throw new DiagnosticError(sortErrors(r.errors));
  const need = <T>(v: T | undefined): T => v as T;
  return {
    name: need(name), arch: need(arch), family, file: board.file, title: r.str(fields.get('title'), 'title') ?? '', variantOf,
    source: prov.source, conflicts: prov.conflicts, sel4: need(sel4), guest: need(guest), hypervisor: need(hypervisor),
    vmmSupported: hypervisor?.vmm === 'supported', cores: need(cores).count, coresInfo: need(cores), smp: need(smp),
    interrupts: need(interrupts), maxIrq: need(interrupts).maxIrq, gic, pic, timer, console: need(console), vpci,
    virtio: need(virtio), crossVm: need(crossVm), boot: need(boot), features: need(features), apps, dtsFile: opts.dtsFile,
  };
}

/** A variant (`variant_of: pc99`) takes every section it does not write itself from its base board. */
function inherit(ctx: Ctx, fields: Fields, vf: Field, base: string, opts: ValidateOptions): boolean {
  const { r } = ctx;
  const text = opts.readBoard?.(base);
  if (!text) {
    r.error(vf.src, r.node(vf), `expected variant_of to name a board under platforms/, got '${base}'`);
    return false;
  }
  const p = parse(text);
  if ('errors' in p) {
    r.errors.push(...p.errors);
    return false;
  }
  const bf = r.fields(p.src, p.src.doc.contents, `the base board ${base}`);
  if (!bf) return false;
  if (bf.has('variant_of')) {
    r.error(vf.src, r.node(vf), `expected variant_of to name a board that is not itself a variant ('${base}' is a variant)`);
    return false;
  }
  for (const [k, f] of bf) if (!OWN_KEYS.includes(k) && !fields.has(k)) fields.set(k, f);
  return true;
}

function checkWindows(ctx: Ctx): void {
  const w = ctx.vpciRegions;
  for (let i = 0; i < w.length; i++) {
    for (const other of [...w.slice(i + 1), ...ctx.deviceRegions]) {
      if (overlaps(w[i], other))
        ctx.r.errors.push(diagnostic('error', w[i].pos, `${w[i].what} ${fmtRange(w[i])} overlaps ${other.what} ${fmtRange(other)} at ${other.pos.line}:${other.pos.col}; expected disjoint regions`));
    }
  }
}

function sortErrors(ds: Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.pos.file}\u0000${String(d.pos.line).padStart(8, '0')}:${String(d.pos.col).padStart(8, '0')}`;
  const seen = new Set<string>();
  return [...ds]
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .filter((d) => {
      const k = key(d) + d.message;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
}
