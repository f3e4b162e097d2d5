/**
 * Simulated hardware behind passthrough: device models attached to the kernel model's `Machine`.
 * See README.md in this folder for which board device each models.
 */
export { machineLine, RecordingOutput, attachMmio, attachPorts, readSub, type InterruptOutput, type MmioDevice } from './wires';
export { AhciController, AHCI } from './ahci';
export { IdeController, ATA, CMA34CR_IDE_PORTS, type IdePorts } from './ide';
export { Intel82574, E1000 } from './e1000e';
export { DwmacEthernet, DWMAC } from './dwmac';
export { StatusIrqDevice, BOARD_DEVICE_LAYOUTS, layoutFor, type StatusLayout, type DriverLayout } from './status-irq';
export { Pl011Uart, PL011 } from './pl011';
export { CadenceUart, CDNS_UART } from './cadence-uart';
