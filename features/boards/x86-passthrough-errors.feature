@x86
Feature: x86 passthrough configuration is validated with positioned errors
  The Init VMM's `vmN.vm_ioports`, `vmN.vm_irqs` and `vmN.pci_devices` (or the pre-2019
  `vmN_config.ioports`, `irqs`, `pci_devices`) give the guest host I/O ports, IOAPIC pins and PCI
  devices. A range the VMM emulates, two entries claiming one port or pin, a guest line outside
  the 16 PIC lines or already driven by the VMM, and PCI memory over guest RAM are refused at the
  entry that asked for them. `end` is exclusive (platforms.md §3.7 leaves it open; see
  src/vmm/passthrough/x86-guest.ts).

  @REQ-PASSTHROUGH-010 @source:platforms.md#3.4
  Scenario: overlapping I/O port ranges are refused at the later entry
    Given the x86 VM configuration:
      """
      vm0.vm_ioports = [
          {"start":0x4080, "end":0x4090, "pci_device":0x1f, "name":"SATA"},
          {"start":0x408c, "end":0x4094, "pci_device":0x1f, "name":"SATA2"},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 3 column 5 of the configuration with:
      """
      I/O ports 0x408c-0x4093 of 'SATA2' overlap 0x4080-0x408f of 'SATA' (/vm.camkes:10:5)
      """

  @REQ-PASSTHROUGH-011 @source:platforms.md#3.3
  Scenario: COM1's ports belong to the VMM's emulated 8250
    Given the x86 VM configuration:
      """
      vm0.vm_ioports = [
          {"start":0x3f8, "end":0x400, "name":"serial"},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 5 of the configuration with:
      """
      I/O ports 0x3f8-0x3ff of 'serial' include 0x3f8-0x3ff, which the VMM emulates (COM1 (8250))
      """

  @REQ-PASSTHROUGH-011 @source:platforms.md#3.3
  Scenario: the 8259 PIC's ports belong to the VMM's emulated PIC
    Given the x86 VM configuration:
      """
      vm0.vm_ioports = [
          {"start":0xa0, "end":0xa2, "name":"pic2"},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 5 of the configuration with:
      """
      I/O ports 0xa0-0xa1 of 'pic2' include 0xa0-0xa1, which the VMM emulates (PIC (slave 8259))
      """

  @REQ-PASSTHROUGH-012 @source:platforms.md#3.3
  Scenario: a dest outside the guest's 16 PIC lines is refused (cma34cr's optional USB1 would be 16)
    Given the x86 VM configuration:
      """
      vm0.vm_irqs = [
          {"name":"USB1", "ioapic":0, "source":0x1c, "level_trig":1, "active_low":1, "dest":16},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 87 of the configuration with:
      """
      "dest" 16 of vm0.vm_irqs entry 'USB1' is outside the guest's PIC lines 0-15 (Init's irq_badges[16])
      """

  @REQ-PASSTHROUGH-013 @source:platforms.md#3.3
  Scenario: a dest on COM1's line 4 is refused
    Given the x86 VM configuration:
      """
      vm0.vm_irqs = [
          {"name":"NIC", "ioapic":0, "source":17, "level_trig":1, "active_low":1, "dest":4},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 84 of the configuration with:
      """
      "dest" 4 of vm0.vm_irqs entry 'NIC' is guest line 4 of COM1 (ttyS0), which the VMM injects itself
      """

  @REQ-PASSTHROUGH-013 @source:platforms.md#3.3
  Scenario: with cross-VM connections, dest 12 is the cross-VM event line
    Given the x86 VM configuration:
      """
      vm0.vm_irqs = [
          {"name":"NIC", "ioapic":0, "source":17, "level_trig":1, "active_low":1, "dest":12},
      ];
      """
    And the VM also has cross-VM connections
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 84 of the configuration with:
      """
      "dest" 12 of vm0.vm_irqs entry 'NIC' is guest line 12 of cross-VM events, which the VMM injects itself
      """

  @REQ-PASSTHROUGH-013 @source:platforms.md#3.3
  Scenario: with virtio-net, dest 6 is the virtio-net line
    Given the x86 VM configuration:
      """
      vm0.vm_irqs = [
          {"name":"NIC", "ioapic":0, "source":17, "level_trig":1, "active_low":1, "dest":6},
      ];
      """
    And the VM also has virtio-net
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 84 of the configuration with:
      """
      "dest" 6 of vm0.vm_irqs entry 'NIC' is guest line 6 of virtio-net, which the VMM injects itself
      """

  @REQ-PASSTHROUGH-014 @source:platforms.md#3.4
  Scenario: one IOAPIC pin routed twice is refused at the second entry
    Given the x86 VM configuration:
      """
      vm0.vm_irqs = [
          {"name":"SATA", "ioapic":0, "source":19, "level_trig":1, "active_low":1, "dest":11},
          {"name":"USB", "ioapic":0, "source":19, "level_trig":1, "active_low":1, "dest":14},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 3 column 41 of the configuration with:
      """
      "source" IOAPIC 0 pin 19 of vm0.vm_irqs entry 'USB' is already routed by 'SATA' (/vm.camkes:10:5)
      """

  @REQ-PASSTHROUGH-015 @source:platforms.md#3.3
  Scenario: PCI memory inside guest RAM is refused
    Given the x86 VM configuration:
      """
      vm0.guest_ram_mb = 512;
      vm0.vm_irqs = [
          {"name":"NIC", "ioapic":0, "source":17, "level_trig":1, "active_low":1, "dest":10},
      ];
      vm0.pci_devices = [
          {"name":"NIC", "bus":5, "dev":0, "fun":0, "irq":"NIC",
           "memory":[ {"paddr":0x20000000, "size":0x20000, "page_bits":12} ]},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 7 column 17 of the configuration with:
      """
      PCI memory 0x20000000-0x2001ffff of 'NIC' overlaps guest RAM 0x10003000-0x30002fff (guest_ram_mb 512)
      """

  @REQ-PASSTHROUGH-016 @source:platforms.md#3.4
  Scenario: a PCI device's irq must name an IRQ entry
    Given the x86 VM configuration:
      """
      vm0.pci_devices = [
          {"name":"NIC", "bus":5, "dev":0, "fun":0, "irq":"Ethernet5", "memory":[]},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 2 column 53 of the configuration with:
      """
      "irq" 'Ethernet5' of pci_devices entry 'NIC' names no entry of the VM's IRQ list (known: none)
      """

  @REQ-PASSTHROUGH-017 @source:platforms.md#3.4
  Scenario: every error of a configuration is reported at once
    Given the x86 VM configuration:
      """
      vm0_config.ioports = [
          {"start":0x40, "end":0x44, "name":"pit"},
          {"start":0x3000, "end":0x3020, "pci_device":0, "name":"Ethernet5"},
          {"start":0x3010, "end":0x3030, "pci_device":0, "name":"Ethernet6"},
      ];
      vm0_config.irqs = [
          {"name":"Ethernet5", "source":0x11, "level_trig":1, "active_low":1, "dest":20},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then it is refused with 3 errors
    And it is refused at line 2 column 5 of the configuration with:
      """
      I/O ports 0x40-0x43 of 'pit' include 0x40-0x43, which the VMM emulates (PIT (i8254))
      """
    And it is refused at line 4 column 5 of the configuration with:
      """
      I/O ports 0x3010-0x302f of 'Ethernet6' overlap 0x3000-0x301f of 'Ethernet5' (/vm.camkes:11:5)
      """
    And it is refused at line 7 column 80 of the configuration with:
      """
      "dest" 20 of vm0_config.irqs entry 'Ethernet5' is outside the guest's PIC lines 0-15 (Init's irq_badges[16])
      """
