@passthrough
Feature: An app's passthrough configuration is real in the built system
  `vmconf run` builds the app's `.camkes` as upstream does: each VM's `dtb`, `untyped_mmios`,
  `mmios`, `irqs` and `dtb_irqs` (Arm) or `vm_ioports`, `vm_irqs`, `pci_devices` (x86, or the
  pre-2019 `vmN_config.*`) are planned against the board, the device untypeds are boot untypeds,
  the IRQ handlers and device caps are given to the VM instance's CNode, and the VMM maps each
  device 1:1 and serves its interrupts (platforms.md §1.2, §3.4). The console's line is the
  VMM's own. A misconfiguration stops the build with an error at the `.camkes` line that asked.

  @REQ-PASSTHROUGH-027 @source:platforms.md#1.2
  Scenario Outline: <path> of vm_cross_connector's vm0 is mapped 1:1 and its INTID <irq> has a handler in the VM's CNode
    When the app "vm_cross_connector" is built for this board and its VMMs start
    Then vm0's guest-physical <paddr> is mapped to the device frame at physical <paddr>
    And vm0's CNode holds the IRQHandler for INTID <irq>

    @exynos5422 @source:platforms.md#2.1
    Examples: Odroid-XU4: one of the 69 entries of devices.camkes (platforms.md §2.1)
      | path              | paddr      | irq |
      | /soc/rtc@101e0000 | 0x101e0000 | 76  |

    @qemu-arm-virt @source:platforms.md#2.6
    Examples: QEMU virt: the PL011 console, whose line the VMM serves itself (platforms.md §2.6)
      | path           | paddr     | irq |
      | /pl011@9000000 | 0x9000000 | 33  |

  @REQ-PASSTHROUGH-028 @source:platforms.md#1.2 @source:platforms.md#1.3 @exynos5422
  Scenario: an untyped_mmios entry over the GIC distributor stops the build at its devices.camkes line
    Given a copy of app "vm_cross_connector" whose "exynos5422/devices.camkes" has the string "0x10481000:12" instead of "0x10486000:12"
    When the copied app is built for this board
    Then the build is refused at line 112 column 21 of "exynos5422/devices.camkes" with:
      """
      untyped_mmios "0x10481000:12": region 0x10481000-0x10481fff overlaps the GIC distributor frame at 0x10481000, which the VMM owns
      """

  @REQ-PASSTHROUGH-029 @source:platforms.md#3.4 @source:platforms.md#3.7 @source:002#Passthrough-Ethernet @cma34cr
  Scenario: the seed's vm0_config passthrough in an x86 app gives Init the I/O ports and presents the SATA controller on its PCI bus
    Given a copy of app "minimal" whose "minimal.camkes" configuration also has:
      """
      vm0_config.ioports = [ {"start":0x4060, "end":0x4080, "pci_device":0x1f, "name":"SATA"} ];
      vm0_config.pci_devices = [ {"name":"SATA", "bus":0, "dev":0x1f, "fun":2, "irq":"SATA", "memory":[ {"paddr":0xc0713000, "size":0x800, "page_bits":12} ]} ];
      vm0_config.irqs = [ {"name":"SATA", "source":19, "level_trig":1, "active_low":1, "dest":11} ];
      """
    When the copied app is built for this board
    Then vm0's Init VMM performs the guest's port I/O on 0x4060-0x407f through its IOPort cap
    And vm0's CNode holds the IRQHandler for kernel line 27
