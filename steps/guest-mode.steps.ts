// Guest mode: 32-bit and 64-bit guests per board, the x86 CPUID/PAE rule (features/guest-mode).
// Every outcome comes from booting the buildroot guest on the simulated VMM: the x86 Init VMM's
// CPUID exit handler, the Arm VM_Arm VMM's vCPU execution state.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { resolve } from 'node:path';
import { MATRIX_OBSERVED_MEDIA_TYPE } from '../src/report/contract';
import type { Trace } from '../src/sel4/trace';
import { ArmGuestBoot, buildSystem, type BuiltSystem } from '../src/system';
import { GUEST_KERNEL_IMAGES, guestKernelImage, guestModeText, type GuestBits, type GuestKernelImage } from '../src/vmm/guest-mode';
import { NoVmAppError } from '../src/vmm/arm/no-vm-app';
import { X86_FEATURE, type X86Vmm } from '../src/vmm/x86';
import type { ConformanceWorld } from './support/world';

const MINIMAL = resolve('apps/minimal');
/** Virtual-time limit of one boot: the guest model reaches its login prompt near 12.4 s. */
const BOOT_LIMIT_NS = 30e9;

/** One guest boot and how it ended. */
interface Boot {
  readonly image: GuestKernelImage;
  readonly loginReached: boolean;
  /** The VMM's output (its fatal message when it stopped the VM). */
  readonly vmm: string;
  readonly console: string;
  readonly vmDead: boolean;
  readonly trace: Trace;
  readonly x86?: X86Vmm;
}

interface State {
  kernelConfig?: Record<string, string>;
  built?: BuiltSystem;
  boot?: Boot;
  boots?: Boot[];
}

const state = new WeakMap<ConformanceWorld, State>();
const st = (w: ConformanceWorld): State => {
  let s = state.get(w);
  if (!s) state.set(w, (s = {}));
  return s;
};
const lastBoot = (w: ConformanceWorld): Boot => {
  const b = st(w).boot;
  if (!b) throw new Error('no guest has been booted in this scenario: add "When the guest kernel ... is booted"');
  return b;
};

const IMAGES: Readonly<Record<string, GuestKernelImage>> = {
  'i386 with PAE off': GUEST_KERNEL_IMAGES.i386,
  'i386 with PAE on': GUEST_KERNEL_IMAGES.i386Pae,
  x86_64: GUEST_KERNEL_IMAGES.x86_64,
};

/** The build's refusal for a board with no VM app is the reason; any other error is a defect. */
function notSupportedArm(w: ConformanceWorld, e: unknown): never {
  if (!(e instanceof NoVmAppError)) throw e;
  throw new Error(`NOT-SUPPORTED: no VM can be built for ${w.platform.name}, so no guest ran: ${e.message}`);
}

/** The image the guest reports it booted (its status); a guest that never started booting is a defect. */
function bootedImage(image: GuestKernelImage | null | undefined): GuestKernelImage {
  if (!image) throw new Error('the guest did not report the kernel image it booted');
  return image;
}

/** Builds the minimal app on this x86 board with `kernelConfig` and boots `image` (or what the configuration implies). */
function bootX86(w: ConformanceWorld, kernelConfig: Record<string, string> | undefined, image?: GuestKernelImage): Boot {
  const built = buildSystem(MINIMAL, { board: w.platform.name, seed: w.seed, anyBoardOfArch: true, kernelConfig, guestImage: image });
  st(w).built = built;
  const vm = built.vms[0];
  const k = built.sys.kernel;
  built.start();
  k.run({ until: () => vm.guest.status().phase === 'login' || !vm.vmm.vm.alive || k.now >= BOOT_LIMIT_NS });
  built.sys.serial.flush();
  const x86 = vm.vmm as X86Vmm;
  return {
    image: bootedImage(vm.guest.status().image),
    loginReached: vm.guest.status().phase === 'login',
    vmm: built.sys.serial.textOf('vm0:vmm').map((l) => l + '\n').join(''),
    console: built.sys.serial.textOf('vm0').map((l) => l + '\n').join(''),
    vmDead: !vm.vmm.vm.alive,
    trace: k.trace,
    x86,
  };
}

function bootArm(w: ConformanceWorld, image: GuestKernelImage): Boot {
  let g: ArmGuestBoot;
  try {
    g = new ArmGuestBoot(w.platform, image, w.seed);
  } catch (e) {
    notSupportedArm(w, e);
  }
  g.run(BOOT_LIMIT_NS);
  return { image, loginReached: g.guest.status().phase === 'login', vmm: g.text('vm0:vmm'), console: g.text('vm0'), vmDead: !g.vmm.vm.alive, trace: g.trace };
}

/** The minimal_64 setting of the board's own kernel architecture: what a 64-bit guest needs. */
const x86Config64 = (w: ConformanceWorld) => ({ KernelX86Sel4Arch: w.platform.arch, KernelX86_64VTX64BitGuests: 'ON' });

When('a 32-bit guest and a 64-bit guest are each booted on the board\'s VMM', function (this: ConformanceWorld) {
  const s = st(this);
  const modes: GuestBits[] = [32, 64];
  s.boots = modes.map((bits) =>
    this.platform.family === 'x86'
      ? // 32: the minimal app as shipped; 64: with minimal_64's settings for this board's kernel.
        bootX86(this, bits === 64 ? x86Config64(this) : undefined, guestKernelImage('x86', bits))
      : bootArm(this, guestKernelImage('arm', bits)),
  );
  this.trace = s.boots[s.boots.length - 1].trace;
  for (const b of s.boots) this.attach(`${b.image.name}: ${b.loginReached ? 'reached the login prompt' : 'did not boot'}\n${b.vmm}${b.console}`, 'text/plain');
});

const UNABLE = 'Unable to boot - please use a kernel appropriate for your CPU.';

Then('every boot reached the login prompt or was stopped with a message saying why', function (this: ConformanceWorld) {
  const boots = st(this).boots ?? [];
  expect(boots.length, 'boots').to.equal(2);
  for (const b of boots) {
    if (b.loginReached) continue;
    const why = b.vmDead ? b.vmm.trim() : b.console.includes(UNABLE) ? b.console.trim() : '';
    expect(why, `${b.image.name} neither reached the login prompt nor was stopped with a message (VMM: ${JSON.stringify(b.vmm)}, console: ${JSON.stringify(b.console.slice(-200))})`).to.not.equal('');
  }
});

Then('the modes that reached the login prompt are the board\'s observed guest mode', function (this: ConformanceWorld) {
  const boots = st(this).boots ?? [];
  const booted = boots.filter((b) => b.loginReached).map((b) => b.image.bits);
  if (!booted.length) throw new Error(`NOT-SUPPORTED: no guest booted on ${this.platform.name}: ${boots.map((b) => `${b.image.bits}-bit: ${(b.vmm || b.console).trim()}`).join('; ')}`);
  this.attach(JSON.stringify({ column: 'guest-mode', value: guestModeText(booted) }), MATRIX_OBSERVED_MEDIA_TYPE);
});

// --- x86: the minimal app's configuration and the CPUID rule -----------------------------------

Given('the x86 minimal app with its own configuration', function (this: ConformanceWorld) {
  st(this).kernelConfig = undefined;
});

Given('the x86 minimal app with KernelX86_64VTX64BitGuests {string}', function (this: ConformanceWorld, v: string) {
  st(this).kernelConfig = { KernelX86_64VTX64BitGuests: v };
});

Given('the x86 minimal app with KernelX86Sel4Arch {string} and KernelX86_64VTX64BitGuests {string}', function (this: ConformanceWorld, arch: string, v: string) {
  st(this).kernelConfig = { KernelX86Sel4Arch: arch, KernelX86_64VTX64BitGuests: v };
});

When('the guest kernel {string} is booted', function (this: ConformanceWorld, name: string) {
  const image = IMAGES[name];
  if (!image) throw new Error(`unknown guest kernel '${name}': expected one of ${Object.keys(IMAGES).join(', ')}`);
  const s = st(this);
  s.boot = bootX86(this, s.kernelConfig, image);
  this.trace = s.boot.trace;
});

When('the guest kernel the configuration implies is booted', function (this: ConformanceWorld) {
  const s = st(this);
  s.boot = bootX86(this, s.kernelConfig);
  this.trace = s.boot.trace;
});

/** CONFIG_X86_64_VTX_64BIT_GUESTS as the built VMM has it: what its CPUID handler is given. */
function built64(w: ConformanceWorld): boolean {
  const s = st(w);
  s.built ??= buildSystem(MINIMAL, { board: w.platform.name, seed: w.seed, anyBoardOfArch: true, kernelConfig: s.kernelConfig });
  return (s.built.vms[0].vmm as X86Vmm).o.vtx64BitGuests === true;
}

Then('the VMM is built without 64-bit guest support', function (this: ConformanceWorld) {
  expect(built64(this), 'CONFIG_X86_64_VTX_64BIT_GUESTS').to.equal(false);
  st(this).built = undefined;
});

Then('the VMM is built with 64-bit guest support', function (this: ConformanceWorld) {
  expect(built64(this), 'CONFIG_X86_64_VTX_64BIT_GUESTS').to.equal(true);
  st(this).built = undefined;
});

Then('the guest kernel booted is {string}', function (this: ConformanceWorld, name: string) {
  expect(lastBoot(this).image).to.deep.equal(IMAGES[name]);
});

Then('the guest reaches the login prompt', function (this: ConformanceWorld) {
  const b = lastBoot(this);
  expect(b.loginReached, `login prompt (console: ${JSON.stringify(b.console.slice(-300))})`).to.equal(true);
});

Then('the guest never reaches the login prompt', function (this: ConformanceWorld) {
  const b = lastBoot(this);
  expect(b.loginReached).to.equal(false);
  expect(b.console).to.not.include('login:');
});

Then('the guest console shows the lines:', function (this: ConformanceWorld, doc: string) {
  const lines = lastBoot(this).console.split('\n').map((l) => l.trimEnd());
  const want = doc.split('\n').map((l) => l.trimEnd());
  const at = lines.indexOf(want[0]);
  expect(at, `"${want[0]}" on the console:\n${lastBoot(this).console}`).to.be.at.least(0);
  expect(lines.slice(at, at + want.length)).to.deep.equal(want);
});

/** EDX of the guest's CPUID exits for `leaf`, from the VMM's trace (what the guest was given). */
function cpuidEdx(w: ConformanceWorld, leaf: number): number[] {
  const hexLeaf = `0x${leaf.toString(16)}`;
  const seen = lastBoot(w)
    .trace.all()
    .filter((e) => e.layer === 'vmm' && e.object === 'CPUID' && e.value === hexLeaf)
    .map((e) => Number(/^edx (0x[0-9a-f]+)$/.exec(e.result ?? '')?.[1] ?? NaN));
  expect(seen.length, `CPUID exits for leaf ${hexLeaf}`).to.be.at.least(1);
  return seen;
}

const BITS: Record<string, number> = { PAE: X86_FEATURE.PAE, PSE: X86_FEATURE.PSE, MSR: X86_FEATURE.MSR, LM: X86_FEATURE.LM };

function expectBits(w: ConformanceWorld, leaf: string, names: string, how: string): void {
  if (how !== 'set' && how !== 'clear') throw new Error(`expected 'set' or 'clear', found '${how}'`);
  const set = how === 'set';
  const mask = names.split(/,\s*|\s+and\s+/).reduce((m, n) => {
    if (BITS[n] === undefined) throw new Error(`unknown feature '${n}': expected ${Object.keys(BITS).join(', ')}`);
    return m | BITS[n];
  }, 0);
  for (const edx of cpuidEdx(w, Number(leaf))) expect((edx & mask) >>> 0, `EDX 0x${edx.toString(16)} & 0x${mask.toString(16)}`).to.equal(set ? mask >>> 0 : 0);
}

Then('the CPUID leaf {word} the guest read has EDX bits {word} {word} and {word} {word}', function (this: ConformanceWorld, leaf: string, a: string, b: string, c: string, how: string) {
  expectBits(this, leaf, `${a.replace(/,$/, '')}, ${b.replace(/,$/, '')}, ${c}`, how);
});

Then('the CPUID leaf {word} the guest read has EDX bit {word} {word}', function (this: ConformanceWorld, leaf: string, bit: string, how: string) {
  expectBits(this, leaf, bit, how);
});

// --- Arm: an image of the other execution state ------------------------------------------------

When('the {int}-bit Arm guest image is booted on the board\'s {word} VMM build', function (this: ConformanceWorld, bits: number, build: string) {
  if (this.platform.family !== 'arm') throw new Error(`${this.platform.name} is not an Arm board`);
  // The build's width is the board's (platforms.md 1.1); the Examples row names it for the reader.
  const width = this.platform.arch === 'aarch64' ? 'aarch64' : 'arm_hyp';
  expect(build, 'the VMM build this board makes').to.equal(width);
  const s = st(this);
  s.boot = bootArm(this, guestKernelImage('arm', bits === 64 ? 64 : 32));
  this.trace = s.boot.trace;
});

Then('the VMM stops the VM with {string}', function (this: ConformanceWorld, line: string) {
  const b = lastBoot(this);
  expect(b.vmDead, 'the VM stopped').to.equal(true);
  expect(b.vmm.split('\n')).to.include(line);
});

Then('the guest console stays empty', function (this: ConformanceWorld) {
  expect(lastBoot(this).console).to.equal('');
});
