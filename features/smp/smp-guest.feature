Feature: SMP with the buildroot guest: vm_minimal brings up its secondary vCPUs through PSCI
  platforms.md §1.1: KernelMaxNumNodes is NUM_NODES (a plain decimal number), and the configure
  step refuses more than one node on exynos5422, exynos5410 and tk1 (`<plat> does not support SMP
  VMs`); §1.9: vm_minimal is built for tk1, tx1, tx2, exynos5422, qemu-arm-virt, odroidc2 and
  zcu102 only, and CI runs it with NUM_NODES=4 on TX1 and TX2 (vm_minimal_smp); §1.2: the VMM caps
  the VM's num_vcpus by KernelMaxNumNodes. The app is built through the system builder
  (apps/vm_minimal, src/system) and the buildroot guest boots: its kernel starts each CPU of its
  device tree with PSCI CPU_ON and each secondary prints its banner (src/guest/kernel/smp.ts).

  @arm @REQ-SMP-011 @source:platforms.md#1.1 @source:platforms.md#1.2 @source:platforms.md#1.9
  Scenario: the buildroot guest brings up every vCPU of vm_minimal with NUM_NODES set to the board's cores
    Given the vm_minimal app is built for the board with NUM_NODES set to the board's core count
    When the buildroot guest boots until its kernel has brought up its CPUs
    Then the VMM created min(num_vcpus of the board's vm_minimal layout, the board's core count) vCPUs
    And the console shows "Booted secondary processor" for each secondary vCPU
    And the console shows the kernel brought up every vCPU
    And every vCPU of the VM ran on its own core
