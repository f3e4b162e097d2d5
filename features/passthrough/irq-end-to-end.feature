@passthrough
Feature: A passed-through device's interrupt reaches the guest's driver
  The VMM gets the device's frames and an IRQ handler whose notification it waits on. When the
  device raises its line the kernel signals that notification; the VMM handles the event and
  injects the interrupt (Arm: the same INTID on the vGIC, platforms.md §1.2; x86: PIC line `dest`
  through `irq_badges[dest]`, §3.3–3.4); the guest's handler reads and clears the device's status
  through its own mapping of the registers; the guest's end of interrupt makes the VMM acknowledge
  the seL4 IRQ handler. A level line still asserted at that acknowledgement fires again; an edge
  line does not.

  Rule: on Arm, the device behind a dtb entry interrupts the guest on the same INTID

    @REQ-PASSTHROUGH-023 @source:platforms.md#1.2
    Scenario Outline: <path> of <app>/vm0 interrupts the guest on INTID <irq> (<trigger>)
      Given the passed-through device "<path>" of app "<app>" on INTID <irq>, with its guest driver probed
      When the device raises its interrupt
      Then the guest driver has handled 1 interrupt on line <irq>
      And the trace shows the interrupt's hops in order: device, seL4 IRQ handler, VMM, vGIC, guest handler, IRQ handler ack

      @exynos5422
      Examples: Odroid-XU4, RTC tick (platforms.md §2.1)
        | app        | path              | irq | trigger |
        | vm_minimal | /soc/rtc@101e0000 | 76  | level   |

      @exynos5410
      Examples: Odroid-XU, MMC command done (platforms.md §2.2)
        | app       | path              | irq | trigger |
        | odroid_vm | /soc/mmc@12200000 | 107 | level   |

      @tk1
      Examples: Jetson TK1, SD host command complete (platforms.md §2.3)
        | app        | path            | irq | trigger |
        | vm_minimal | /sdhci@700b0000 | 46  | level   |

      @tx1
      Examples: Jetson TX1, memory controller decode error (platforms.md §2.4)
        | app        | path                        | irq | trigger |
        | vm_minimal | /memory-controller@70019000 | 109 | level   |

      @tx2
      Examples: Jetson TX2, timer expiry (platforms.md §2.5)
        | app        | path           | irq | trigger |
        | vm_minimal | /timer@3020000 | 38  | level   |

      @odroidc2
      Examples: Odroid-C2, Ethernet frame received (platforms.md §2.7)
        | app        | path               | irq | trigger |
        | vm_minimal | /ethernet@c9410000 | 40  | edge    |

      @qemu-arm-virt @source:platforms.md#2.6
      Examples: QEMU virt, PL011 console character received; the VMM routes its console line itself (platforms.md §2.6)
        | app        | path           | irq | trigger |
        | vm_minimal | /pl011@9000000 | 33  | level   |

      @zcu102 @source:platforms.md#2.8
      Examples: ZCU102, Cadence UART0 console character received; the VMM routes its console line itself (platforms.md §2.8)
        | app        | path                  | irq | trigger |
        | vm_minimal | /amba/serial@ff000000 | 53  | level   |

    @REQ-PASSTHROUGH-024 @source:platforms.md#1.2
    Scenario Outline: an interrupt on a <trigger> line whose cause the driver leaves pending <refire>
      Given the passed-through device "<path>" of app "<app>" on INTID <irq>, with a guest driver that clears the cause only on its second interrupt
      When the device raises its interrupt
      Then the guest driver has handled <interrupts> on line <irq>
      And the kernel delivered IRQ <irq> <delivered>

      @exynos5422
      Examples: level (platforms.md §2.1)
        | app        | path              | irq | trigger | refire                | interrupts   | delivered |
        | vm_minimal | /soc/rtc@101e0000 | 76  | level   | fires again after Ack | 2 interrupts | 2 times   |

      @odroidc2
      Examples: edge (platforms.md §2.7)
        | app        | path               | irq | trigger | refire                  | interrupts  | delivered |
        | vm_minimal | /ethernet@c9410000 | 40  | edge    | does not fire after Ack | 1 interrupt | 1 time    |

  Rule: on x86, the seed's cma34cr devices are visible on the guest's PCI bus and interrupt on their dest line

    Background:
      Given the x86 VM configuration for passthrough:
        """
        vm0_config.ioports = [
            {"start":0x4060, "end":0x4080, "pci_device":0x1f, "name":"SATA"},
            {"start":0x3000, "end":0x3020, "pci_device":0, "name":"Ethernet5"},
        ];
        vm0_config.pci_devices = [
            {"name":"SATA", "bus":0, "dev":0x1f, "fun":2, "irq":"SATA",
             "memory":[ {"paddr":0xc0713000, "size":0x800, "page_bits":12} ]},
            {"name":"Ethernet5", "bus":5, "dev":0, "fun":0, "irq":"Ethernet5",
             "memory":[ {"paddr":0xc0500000, "size":0x20000, "page_bits":12}, {"paddr":0xc0520000, "size":0x4000, "page_bits":12} ]},
        ];
        vm0_config.irqs = [
            {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11},
            {"name":"Ethernet5", "source":0x11, "level_trig":1, "active_low":1, "dest":10},
        ];
        """

    @REQ-PASSTHROUGH-025 @source:platforms.md#3.7 @source:platforms.md#3.4 @cma34cr @x86
    Scenario: the host devices appear on the guest's PCI bus with their BARs and dest as their interrupt line
      When the guest boots with the AHCI and e1000e drivers
      Then the guest's PCI core finds host device "00:1f.2" as "8086:1e03" at "00:01.0" with memory BAR "0xc0713000" and interrupt line 11
      And the guest's PCI core finds host device "05:00.0" as "8086:10d3" at "00:02.0" with memory BAR "0xc0500000" and interrupt line 10
      And the e1000e driver found its I/O BAR at "0x3000"

    @REQ-PASSTHROUGH-026 @source:platforms.md#3.3 @source:platforms.md#3.7 @cma34cr @x86
    Scenario: the AHCI command completion arrives on PIC line 11 and Ethernet5's received frame on line 10
      When the guest boots with the AHCI and e1000e drivers
      Then the "ahci" driver has handled 1 interrupt on line 11
      And the trace shows the interrupt's hops in order: device, seL4 IRQ handler, VMM, PIC, guest handler, IRQ handler ack
      When Ethernet5 receives a frame
      Then the "e1000e" driver has handled 1 interrupt on line 10
      And the e1000e driver read ICR through the IOPort cap for 0x3000-0x301f

    @REQ-PASSTHROUGH-026 @source:platforms.md#3.3 @cma34cr @x86
    Scenario: the AHCI line, level-triggered, fires again when the driver leaves IS set at its first EOI
      When the guest boots with the AHCI and e1000e drivers, the AHCI driver clearing IS only on its second interrupt
      Then the "ahci" driver has handled 2 interrupts on line 11
      And the kernel delivered IRQ 27 2 times
