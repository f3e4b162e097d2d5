@cma34cr @x86
Feature: The seed tutorial's cma34cr passthrough examples
  The x86 tutorial (seed 002, "Passthrough" sections) passes the CMA34CR's SATA controller (AHCI
  or legacy IDE, chosen in the BIOS) and then its Ethernet5 controller through to vm0, written in
  the pre-2019 `vm0_config.*` layout. Each example, as written, is planned: the guest sees the
  I/O ports, the PCI device and its IRQ on guest line `dest`.

  @REQ-PASSTHROUGH-020 @source:002#Passthrough-Ethernet @source:platforms.md#3.7
  Scenario: AHCI mode, as written in the seed
    Given the x86 VM configuration:
      """
      vm0_config.pci_devices_iospace = 1;


      vm0_config.ioports = [
          {"start":0x4088, "end":0x4090, "pci_device":0x1f, "name":"SATA"},
          {"start":0x4094, "end":0x4098, "pci_device":0x1f, "name":"SATA"},
          {"start":0x4080, "end":0x4088, "pci_device":0x1f, "name":"SATA"},
          {"start":0x4060, "end":0x4080, "pci_device":0x1f, "name":"SATA"},
      ];
      
      vm0_config.pci_devices = [ 
          {   
              "name":"SATA",
              "bus":0,
              "dev":0x1f,
              "fun":2,
              "irq":"SATA",
              "memory":[
                  {"paddr":0xc0713000, "size":0x800, "page_bits":12},
              ],
          },  
      ];

      vm0_config.irqs = [ 
          {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11},
      ];
      """
    When the passthrough plan is made for "vm0"
    Then the plan uses the "vm_config" layout
    And the guest sees I/O ports "0x4088-0x408f, 0x4094-0x4097, 0x4080-0x4087, 0x4060-0x407f"
    And the guest sees PCI device "00:1f.2" as "SATA" on guest line 11 from IOAPIC pin 19, level-triggered, active low
    And PCI device "00:1f.2" has memory "0xc0713000+0x1000"
    And PCI device "00:1f.2" has I/O ports "0x4088-0x408f, 0x4094-0x4097, 0x4080-0x4087, 0x4060-0x407f"
    And each PCI device has its own IOSpace

  @REQ-PASSTHROUGH-021 @source:002#Passthrough-Ethernet
  Scenario: IDE mode, as written in the seed, lacks a semicolon and is refused where the parser stops
    Given the x86 VM configuration:
      """
      vm0_config.pci_devices_iospace = 1

      vm0_config.ioports = [ 
          {"start":0x4080, "end":0x4090, "pci_device":0x1f, "name":"SATA"},
      ];  
      """
    When the passthrough plan is made for "vm0"
    Then it is refused at line 3 column 1 of the configuration with:
      """
      expected ';', found 'vm0_config'
      """

  @REQ-PASSTHROUGH-020 @source:002#Passthrough-Ethernet @source:platforms.md#3.7
  Scenario: IDE mode with the semicolon restored, plus Ethernet5, as the seed's Ethernet section writes them
    Given the x86 VM configuration:
      """
      vm0_config.pci_devices_iospace = 1;

      vm0_config.ioports = [
          {"start":0x4080, "end":0x4090, "pci_device":0x1f, "name":"SATA"},
          {"start":0x4090, "end":0x40a0, "pci_device":0x1f, "name":"SATA"},
          {"start":0x40b0, "end":0x40b8, "pci_device":0x1f, "name":"SATA"},
          {"start":0x40b8, "end":0x40c0, "pci_device":0x1f, "name":"SATA"},
          {"start":0x40c8, "end":0x40cc, "pci_device":0x1f, "name":"SATA"},
          {"start":0x40cc, "end":0x40d0, "pci_device":0x1f, "name":"SATA"},
          {"start":0x3000, "end":0x3020, "pci_device":0, "name":"Ethernet5"}, // <--- Add this entry
      ];

      vm0_config.pci_devices = [
          {   
              "name":"SATA",
              "bus":0,
              "dev":0x1f,
              "fun":2,
              "irq":"SATA",
              "memory":[],
          },

          // Add this entry:
          {
              "name":"Ethernet5",
              "bus":5,
              "dev":0,
              "fun":0,
              "irq":"Ethernet5",
              "memory":[
                  {"paddr":0xc0500000, "size":0x20000, "page_bits":12},
                  {"paddr":0xc0520000, "size":0x4000, "page_bits":12},
              ],
          },
      ];

      vm0_config.irqs = [
          {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11},
          {"name":"Ethernet5", "source":0x11, "level_trig":1, "active_low":1, "dest":10}, // <--- Add this entry
      ];
      """
    When the passthrough plan is made for "vm0"
    Then the guest sees I/O ports "0x4080-0x408f, 0x4090-0x409f, 0x40b0-0x40b7, 0x40b8-0x40bf, 0x40c8-0x40cb, 0x40cc-0x40cf, 0x3000-0x301f"
    And the guest sees PCI device "00:1f.2" as "SATA" on guest line 11 from IOAPIC pin 19, level-triggered, active low
    And PCI device "00:1f.2" has memory ""
    And the guest sees PCI device "05:00.0" as "Ethernet5" on guest line 10 from IOAPIC pin 17, level-triggered, active low
    And PCI device "05:00.0" has memory "0xc0500000+0x20000, 0xc0520000+0x4000"
    And PCI device "05:00.0" has I/O ports "0x3000-0x301f"

  @REQ-PASSTHROUGH-022 @source:platforms.md#3.7 @passthrough
  Scenario: the AHCI controller's interrupt reaches the notification of host line dest + 16, and deasserts when cleared
    Given the x86 VM configuration:
      """
      vm0_config.ioports = [
          {"start":0x4060, "end":0x4080, "pci_device":0x1f, "name":"SATA"},
      ];
      vm0_config.pci_devices = [
          {"name":"SATA", "bus":0, "dev":0x1f, "fun":2, "irq":"SATA",
           "memory":[ {"paddr":0xc0713000, "size":0x800, "page_bits":12} ]},
      ];
      vm0_config.irqs = [
          {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11},
      ];
      """
    When the passthrough plan is made for "vm0"
    And the plan is realised with an AHCI controller behind PCI device "00:1f.2"
    Then the root task holds the IRQHandler for line 27
    When the driver enables interrupts and issues a command
    Then kernel IRQ line 27 has been delivered to its notification 1 time
    And kernel IRQ line 27 is asserted
    When the driver clears PxIS and IS
    Then kernel IRQ line 27 is deasserted
