export { PciBus, PciConfigPorts, camOffset, allOnes, PCI_CONF_ADDR_PORT, PCI_CONF_DATA_PORT, type PciAccessSize } from './bus';
export { PciFunction } from './device';
export * from './config';
