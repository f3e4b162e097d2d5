export { Vgic, type VirqHandle, type ListRegisterPort, type VgicHost } from './vgic';
export { DistributorState } from './distributor';
export * from './registers';
