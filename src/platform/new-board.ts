/**
 * Porting a board: `newBoard` starts a description from a similar board (what `vmconf new-board`
 * runs), and `portingChecklist` computes platforms.md §4's checklist from a description and its
 * device tree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, parseDocument, type YAMLMap } from 'yaml';
import { errorAt } from '../diagnostics';
import { parseDts } from './dts';
import { passthroughIrqs, searchPath } from './dts-query';
import { listBoards, loadDeviceTree, loadPlatform, PLATFORMS_DIR } from './index';
import { validateBoard } from './schema';
import type { ArmVm, Platform } from './types';

export interface NewBoardResult {
  readonly files: readonly string[];
  readonly platform: Platform;
}

const COPIED = (from: string) => `copied from ${from}.yaml by vmconf new-board; confirm against the new board's sources`;

function yamlHeader(name: string, from: string): string {
  return [
    `${name}: new board description, derived from ${from}.yaml by \`vmconf new-board\`.`,
    `Every section is ${from}'s and is marked \`unconfirmed: true\`. Before trusting a value, check it`,
    `against the new board's sources, replace the section's \`source\` with them, and drop`,
    `\`unconfirmed\` (platforms.md §4 porting checklist):`,
    ` - hypervisor, cores: a CPU with Arm virtualisation, seL4 built with KernelArmHypervisorSupport`,
    ` - gic: a GICv2 with GICH and GICV frames (the VMM's vGIC is GICv2 only), node path in ${name}.dts`,
    ` - apps.*.vms.*: dtb passthrough paths, irqs and untyped_mmios consistent with ${name}.dts`,
    ` - apps.*.vms.*: guest RAM, DTB and initrd addresses; boot image; interrupts.free (vmlinux.h)`,
    ` - timer, console, vpci, virtio, cross_vm, features: the board's own values`,
    `Then run: npm test -- --tags @${name}`,
  ]
    .map((l) => ` ${l}`)
    .join('\n');
}

/** Marks every provenance-carrying map (a section, an app) as copied and unconfirmed. */
function markCopied(map: YAMLMap<unknown, unknown>, from: string, depth = 0): void {
  if (map.has('source') && depth > 0) {
    map.set('unconfirmed', true);
    const note = map.get('note');
    map.set('note', typeof note === 'string' ? `${COPIED(from)}. ${note}` : COPIED(from));
  }
  for (const it of map.items) {
    const key = isScalar(it.key) ? it.key.value : undefined;
    if (isMap(it.value) && (depth === 0 || key !== 'vms')) markCopied(it.value as YAMLMap<unknown, unknown>, from, depth + 1);
  }
}

/**
 * Writes `<dir>/<name>.yaml` (and `<name>.dts` when the similar board has one) and returns the
 * validated board. Refuses to overwrite anything; nothing is written unless both files validate.
 */
export function newBoard(name: string, from: string, dir = PLATFORMS_DIR): NewBoardResult {
  const cmd = { file: '<command line>', line: 1, col: 1 };
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw errorAt(cmd, `expected a board name of lower-case letters, digits, '.', '_' or '-', found '${name}'`);
  const boards = listBoards(dir);
  if (!boards.includes(from)) throw errorAt(cmd, `unknown board '${from}' to start from; known boards: ${boards.join(', ')}`);
  const yamlOut = path.join(dir, `${name}.yaml`);
  const dtsIn = path.join(dir, `${from}.dts`);
  const dtsOut = path.join(dir, `${name}.dts`);
  for (const f of [yamlOut, dtsOut])
    if (fs.existsSync(f)) throw errorAt({ file: f, line: 1, col: 1 }, `refusing to overwrite existing file ${f}; choose another name or remove it yourself`);

  const doc = parseDocument(fs.readFileSync(path.join(dir, `${from}.yaml`), 'utf8'));
  if (!isMap(doc.contents)) throw errorAt({ file: `${from}.yaml`, line: 1, col: 1 }, 'expected the board file to be a mapping');
  const root = doc.contents as YAMLMap<unknown, unknown>;
  const title = root.get('title');
  root.set('name', name);
  root.set('title', `${name} (new board; started from ${from}${typeof title === 'string' ? `: ${title}` : ''})`);
  root.set('unconfirmed', true);
  markCopied(root, from);
  doc.commentBefore = yamlHeader(name, from);
  const text = doc.toString({ lineWidth: 0 });

  const hasDts = fs.existsSync(dtsIn);
  const dtsText = hasDts
    ? `/*\n * ${name}: device tree skeleton copied from ${from}.dts by vmconf new-board. Replace the nodes\n * with the new board's (GIC, timer, console, every device the apps pass through); keep the\n * header comment's list of UNCONFIRMED choices up to date.\n */\n${fs.readFileSync(dtsIn, 'utf8')}`
    : undefined;
  const shown = (f: string) => path.relative(process.cwd(), f) || f;
  validateBoard({ text, file: shown(yamlOut) }, { name, dtsFile: hasDts ? shown(dtsOut) : undefined, readBoard: (b) => (boards.includes(b) ? { text: fs.readFileSync(path.join(dir, `${b}.yaml`), 'utf8'), file: shown(path.join(dir, `${b}.yaml`)) } : undefined) });
  if (dtsText) parseDts(dtsText, shown(dtsOut));

  // 'wx': fail rather than replace a file that appeared meanwhile.
  fs.writeFileSync(yamlOut, text, { flag: 'wx' });
  const files = [yamlOut];
  if (dtsText) {
    fs.writeFileSync(dtsOut, dtsText, { flag: 'wx' });
    files.push(dtsOut);
  }
  return { files, platform: loadPlatform(name, dir) };
}

// ---- platforms.md §4 porting checklist ----------------------------------------------------

export type ChecklistItemId = 'hypervisor-cpu' | 'gicv2' | 'devices-match-dts' | 'guest-images';

export interface ChecklistItem {
  readonly id: ChecklistItemId;
  readonly ok: boolean;
  /** Why the item does not hold (or what was checked when it does). */
  readonly reason: string;
  /** Findings that do not fail the item (entries upstream accepts, such as a path matching nothing). */
  readonly notes: readonly string[];
}

/** seL4 src/arch/arm/config.cmake: KernelArmHypervisorSupport needs one of these cores (platforms.md §1.1). */
const HYP_CPUS = /cortex-a(15|35|53|55|57|72|76)\b/i;
const PAGE = 0x1000;
const hx = (n: number) => `0x${n.toString(16)}`;

function devicesMatch(p: Platform): Omit<ChecklistItem, 'id'> {
  const tree = loadDeviceTree(p);
  const vms = Object.values(p.apps).flatMap((a) => a.vms.filter((v): v is ArmVm => v.kind === 'arm').map((v) => ({ app: a.name, v })));
  if (!tree) return { ok: false, reason: `${p.name} has no device tree (${p.name}.dts)`, notes: [] };
  if (!vms.length) return { ok: false, reason: `no VMM app for ${p.name} declares a VM's devices (dtb, untyped_mmios)`, notes: [] };
  const problems: string[] = [];
  const notes: string[] = [];
  const g = p.gic!;
  if (!tree.node(g.node)) problems.push(`gic.node ${g.node} is not in ${p.name}.dts`);
  const owned = [g.distributor, g.cpuInterface, g.vcpuControl].filter((x): x is number => x !== undefined);
  for (const { app, v } of vms) {
    const at = `${app}/${v.name}`;
    const mmio = [...v.untypedMmios, ...v.mmios].map((s) => Number(s.split(':')[0]));
    if (g.vcpuInterface !== undefined && !mmio.includes(g.vcpuInterface)) problems.push(`${at}: no untyped_mmios/mmios entry supplies the GICV frame ${hx(g.vcpuInterface)}`);
    for (const q of v.dtbPassthrough) {
      const n = searchPath(tree, q);
      if (!n) {
        notes.push(`${at}: dtb path "${q}" matches no node (no resources, as upstream)`);
        continue;
      }
      if (n.path !== q) notes.push(`${at}: dtb path "${q}" selects ${n.path} (first match)`);
      for (const r of tree.cpuReg(n)) {
        const [a, e] = [Math.floor(r.address / PAGE) * PAGE, Math.ceil((r.address + r.size) / PAGE) * PAGE];
        if (a < v.ram.paddr + v.ram.size && v.ram.paddr < e) problems.push(`${at}: ${n.path} region ${hx(a)} overlaps guest RAM`);
        for (const f of owned) if (a < f + PAGE && f < e) problems.push(`${at}: ${n.path} region ${hx(a)} overlaps the GIC frame ${hx(f)}`);
      }
      for (const i of passthroughIrqs(tree, n)) if (i.irq > p.maxIrq) problems.push(`${at}: ${n.path} IRQ ${i.irq} is above MAX_IRQ ${p.maxIrq}`);
    }
  }
  return problems.length ? { ok: false, reason: problems.join('; '), notes } : { ok: true, reason: `${vms.length} VM(s) checked against ${p.name}.dts`, notes };
}

/** platforms.md §4, computed for an Arm board from its description and device tree. */
export function portingChecklist(p: Platform): ChecklistItem[] {
  const item = (id: ChecklistItemId, r: Omit<ChecklistItem, 'id'>): ChecklistItem => ({ id, ...r });
  const hypCpu = HYP_CPUS.test(p.coresInfo.cpu);
  const tree = loadDeviceTree(p);
  const gicNode = p.gic && tree?.node(p.gic.node);
  const gicCompat = gicNode ? tree!.compatible(gicNode) : [];
  const dtsV3 = gicCompat.some((c) => /gic-v3/.test(c));
  const frames = gicNode ? tree!.cpuReg(gicNode).length : 0;
  const armVms = Object.values(p.apps).flatMap((a) => a.vms.filter((v): v is ArmVm => v.kind === 'arm'));
  const imagesMissing = [!p.boot.image && 'boot image', !p.guest.modes.length && 'guest word size', !armVms.length && 'VMM app with guest RAM, DTB and initrd addresses'].filter(Boolean);
  const badInitrd = armVms.filter((v) => v.initrd !== undefined && (v.initrd < v.ram.base || v.initrd >= v.ram.base + v.ram.size));
  return [
    item('hypervisor-cpu', hypCpu && p.hypervisor.kernel
      ? { ok: true, reason: `${p.coresInfo.cpu}; seL4 builds with KernelArmHypervisorSupport`, notes: [] }
      : { ok: false, reason: !hypCpu ? `CPU "${p.coresInfo.cpu}" is none of Cortex-A15/A35/A53/A55/A57/A72/A76, which KernelArmHypervisorSupport requires` : 'seL4 does not build with KernelArmHypervisorSupport for this board', notes: [] }),
    item('gicv2', p.gic?.version === 2 && !dtsV3 && frames >= 4
      ? { ok: true, reason: `GICv2 (${gicCompat.join(', ')}) with GICH and GICV frames`, notes: [] }
      : { ok: false, reason: p.gic?.version === 3 || dtsV3 ? `${p.name} has a GICv3 (${gicCompat.join(', ') || 'gic.version 3'}); the VMM's vGIC emulates only GICv2 (libsel4vm)` : `the GIC node ${p.gic?.node ?? '(none)'} does not give the four GICv2 frames (distributor, CPU interface, GICH, GICV)`, notes: [] }),
    item('devices-match-dts', devicesMatch(p)),
    item('guest-images', imagesMissing.length || badInitrd.length
      ? { ok: false, reason: [imagesMissing.length ? `no ${imagesMissing.join(', no ')} is declared for ${p.name}` : '', ...badInitrd.map((v) => `${v.name}: initrd ${hx(v.initrd!)} outside its RAM`)].filter(Boolean).join('; '), notes: [] }
      : { ok: true, reason: `${armVms.length} VM(s) with RAM, DTB and initrd addresses; ${p.boot.format} image ${p.boot.image}`, notes: [] }),
  ];
}

/**
 * How a failed item counts (src/report verdict rules): on a board the CAmkES VMM is documented to
 * support it is a failure; elsewhere it is why the board is not supported.
 */
export function checklistOutcome(p: Platform, it: ChecklistItem): 'pass' | 'fail' | 'not-supported' {
  if (it.ok) return 'pass';
  return p.hypervisor.vmm === 'supported' ? 'fail' : 'not-supported';
}
