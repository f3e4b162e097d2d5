import { ENODEV } from '../kernel/errno';
import { IRQF_SHARED } from '../kernel/kernel';
import { pciEnableDevice } from '../kernel/pci';
import { DEFAULT_MESSAGE_LEVEL } from '../kernel/printk';
import type { GuestSystem, KernelModule } from '../kernel/system';
import { MAX_UIO_MAPS, type UioMap } from '../kernel/uio';

/** Matched IDs: PCI_VENDOR_ID_REDHAT_QUMRANET and the cross-VM connection device. */
export const CONNECTION_VENDOR = 0x1af4;
export const CONNECTION_DEVICE = 0xa111;
const MAX_CONNECTOR_DEVICES = 32;
/** Event BAR registers (camkes-vm-linux connection.c). */
const EVENT_REG_CONSUME = 4;
const NAME_OFFSET = 8;
const NAME_LENGTH = 50;

/**
 * camkes-vm-linux HEAD connection.c: a PCI driver exposing each connection as a UIO device
 * (map0 = event BAR, map1 = dataport). Its printks name no level, so they print at the default
 * message level (4) and show on a default console.
 */
export const connectionModule: KernelModule = {
  name: 'connection',
  *init(sys: GuestSystem) {
    const k = sys.k;
    const uio = sys.uio;
    if (!uio) return -ENODEV;
    let count = 0;
    for (const dev of sys.pciDevices) {
      if (dev.vendor !== CONNECTION_VENDOR || dev.deviceId !== CONNECTION_DEVICE) continue;
      if (count >= MAX_CONNECTOR_DEVICES) {
        k.printk(DEFAULT_MESSAGE_LEVEL, 'Failed to initialize connector: Managing maximum number of devices\n');
        continue;
      }
      const index = count++;
      yield* pciEnableDevice(k, dev);
      const maps: UioMap[] = [];
      let lastBar = 0;
      for (let i = 0; i < MAX_UIO_MAPS; i++) {
        const bar = dev.bars[i];
        if (!bar || bar.addr === 0) break;
        maps.push({ addr: bar.addr, size: bar.size });
        lastBar = i;
      }
      if (!maps.length) continue;
      const eventBar = maps[0].addr;
      const raw = yield* k.machine.read(eventBar + NAME_OFFSET, NAME_LENGTH);
      const nul = raw.indexOf(0);
      const name = new TextDecoder('latin1').decode(nul >= 0 ? raw.subarray(0, nul) : raw) || 'connector';
      const handler = function* (): Generator<void, 'IRQ_HANDLED' | 'IRQ_NONE', unknown> {
        const v = yield* k.machine.read32(eventBar + EVENT_REG_CONSUME);
        if (v === 0) return 'IRQ_NONE';
        // The event BAR is mapped read-only at stage 2: this write faults into the VMM, which
        // stores the 0.
        yield* k.machine.write32(eventBar + EVENT_REG_CONSUME, 0);
        return 'IRQ_HANDLED';
      };
      const r = uio.register(name, maps, dev.irq, IRQF_SHARED, handler);
      if (typeof r === 'number') {
        k.printk(DEFAULT_MESSAGE_LEVEL, 'Failed to initialize uio information\n');
        continue;
      }
      k.printk(DEFAULT_MESSAGE_LEVEL, `Event Bar (dev-${index}) initialized\n`);
      k.printk(DEFAULT_MESSAGE_LEVEL, `${lastBar} Dataports (dev-${index}) initialized\n`);
    }
    return 0;
  },
};
