Feature: DTB passthrough resources per board
  A VM's `dtb = dtb([...])` entries are matched against the board's device tree (each "path" is a
  case-insensitive, unanchored regular expression; the first node in document order wins). The
  matched node's `reg` becomes untyped capabilities rounded to 4 KiB and its `interrupts` become
  IRQs routed 1:1: SPI n is INTID n + 32, a PPI keeps its raw number, flags below 4 are edge and
  the rest level, and each IRQ is routed once. An entry that matches nothing gives nothing.

  Rule: each passed-through node's interrupts reach the VM as the INTIDs the reference derives

    @REQ-PASSTHROUGH-001 @source:platforms.md#1.2
    Scenario Outline: <path> in <app>/<vm> is routed as INTID <irq>, <trigger>-triggered
      Given the VM "<vm>" of app "<app>"
      When its passthrough plan is made
      Then the dtb entry "<path>" passes IRQ <irq> as <trigger>
      And the dtb entry "<path>" selects node "<path>" and passes its region at "<region>"

      @exynos5422
      Examples: Odroid-XU4 (platforms.md §2.1)
        | app        | vm  | path                                | irq | trigger | region     |
        | vm_minimal | vm0 | /soc/serial@12c20000                | 85  | level   | 0x12c20000 |
        | vm_minimal | vm0 | /soc/rtc@101e0000                   | 76  | level   | 0x101e0000 |
        | vm_minimal | vm0 | /soc/interrupt-controller@10440000  | 32  | level   | 0x10440000 |
        | vm_multi   | vm0 | /soc/rtc@101e0000                   | 75  | level   | 0x101e0000 |

      @exynos5410
      Examples: Odroid-XU (platforms.md §2.2)
        | app       | vm  | path                 | irq | trigger | region     |
        | odroid_vm | vm0 | /soc/serial@12c20000 | 85  | level   | 0x12c20000 |
        | odroid_vm | vm0 | /soc/mmc@12200000    | 107 | level   | 0x12200000 |

      @tk1
      Examples: Jetson TK1 (platforms.md §2.3)
        | app        | vm  | path             | irq | trigger | region     |
        | vm_minimal | vm0 | /sdhci@700b0000  | 46  | level   | 0x700b0000 |
        | vm_minimal | vm0 | /serial@70006000 | 68  | level   | 0x70006000 |

      @tx1
      Examples: Jetson TX1 (platforms.md §2.4)
        | app        | vm  | path                        | irq | trigger | region     |
        | vm_minimal | vm0 | /serial@70006000            | 68  | level   | 0x70006000 |
        | vm_minimal | vm0 | /memory-controller@70019000 | 109 | level   | 0x70019000 |

      @tx2
      Examples: Jetson TX2 (platforms.md §2.5)
        | app        | vm  | path            | irq | trigger | region    |
        | vm_minimal | vm0 | /serial@3100000 | 144 | level   | 0x3100000 |
        | vm_minimal | vm0 | /timer@3020000  | 38  | level   | 0x3020000 |

      @qemu-arm-virt
      Examples: QEMU virt (platforms.md §2.6)
        | app        | vm  | path           | irq | trigger | region    |
        | vm_minimal | vm0 | /pl011@9000000 | 33  | level   | 0x9000000 |

      @odroidc2
      Examples: Odroid-C2 (platforms.md §2.7)
        | app        | vm  | path               | irq | trigger | region     |
        | vm_minimal | vm0 | /serial@c81004c0   | 225 | edge    | 0xc8100000 |
        | vm_minimal | vm0 | /ethernet@c9410000 | 40  | edge    | 0xc9410000 |

      @zcu102
      Examples: ZCU102 (platforms.md §2.8)
        | app        | vm  | path                  | irq | trigger | region     |
        | vm_minimal | vm0 | /amba/serial@ff000000 | 53  | level   | 0xff000000 |

  Rule: the whole set of routed IRQs equals the reference's DERIVED list

    @REQ-PASSTHROUGH-002 @source:platforms.md#2
    Scenario Outline: <app>/<vm> routes exactly the reference's IRQs
      Given the VM "<vm>" of app "<app>"
      When its passthrough plan is made
      Then the VM's passthrough IRQs are "<irqs>"

      @exynos5422
      Examples: Odroid-XU4 (platforms.md §2.1)
        | app                | vm  | irqs |
        | vm_minimal         | vm0 | 32-63, 65, 66, 67, 68-72, 74, 75, 76, 77, 79, 82, 110, 83, 84, 85, 86, 88-94, 97, 215, 216, 217, 103, 104, 105, 107, 108, 109, 117, 118, 138, 142, 201, 218, 220 |
        | vm_cross_connector | vm0 | 32-63, 65, 66, 67, 68-72, 74, 75, 76, 77, 79, 82, 110, 83, 84, 85, 86, 88-94, 97, 215, 216, 217, 103, 104, 105, 107, 108, 109, 117, 118, 138, 142, 201, 218, 220 |
        | vm_virtio_net      | vm0 | 32-63, 65, 66, 67, 68-72, 74, 75, 76, 77, 79, 82, 110, 83, 84, 85, 86, 88-94, 97, 215, 216, 217, 103, 104, 105, 107, 108, 109, 117, 118, 138, 142, 201, 218, 220 |
        | vm_multi           | vm0 | 75, 76, 103, 104, 105 |

      @exynos5410
      Examples: Odroid-XU (platforms.md §2.2)
        | app       | vm  | irqs              |
        | odroid_vm | vm0 | 85, 103, 107, 109 |

      @tk1
      Examples: Jetson TK1, explicit irqs included (platforms.md §2.3)
        | app        | vm  | irqs                          |
        | vm_minimal | vm0 | 46, 52, 53, 63, 68, 122, 129 |

      @tx1
      Examples: Jetson TX1 (platforms.md §2.4)
        | app        | vm  | irqs                                         |
        | vm_minimal | vm0 | 68, 34, 64, 65, 66, 67, 87, 119, 121, 157, 109 |

      @tx2
      Examples: Jetson TX2 (platforms.md §2.5)
        | app           | vm  | irqs |
        | vm_minimal    | vm0 | 32-38, 79, 82, 85, 88, 91, 212, 92, 144, 145, 147, 148, 149, 152-159, 208, 165-168, 173-176 |
        | vm_virtio_net | vm0 | 32-38, 79, 82, 85, 88, 91, 212, 92, 144, 145, 147, 148, 149, 152-159, 208, 165-168, 173-176 |

      @qemu-arm-virt
      Examples: QEMU virt, vm_multi's PCIe INTx given as dtb_irqs (platforms.md §2.6)
        | app        | vm  | irqs  |
        | vm_minimal | vm0 | 33    |
        | vm_multi   | vm0 | 35-38 |

      @odroidc2
      Examples: Odroid-C2 (platforms.md §2.7)
        | app        | vm  | irqs    |
        | vm_minimal | vm0 | 40, 225 |

      @zcu102
      Examples: ZCU102 (platforms.md §2.8)
        | app           | vm  | irqs |
        | vm_minimal    | vm0 | 53   |
        | vm_virtio_net | vm0 | 53   |

  Rule: the path rule's quirks show, without errors

    @REQ-PASSTHROUGH-003 @source:platforms.md#2.1 @exynos5422
    Scenario: "/firmware@02073000" matches no node of the Exynos5422 tree, so nothing is passed for it
      Given the VM "vm0" of app "vm_cross_connector"
      When its passthrough plan is made
      Then the dtb entry "/firmware@02073000" matches no node and passes nothing

    @REQ-PASSTHROUGH-003 @source:platforms.md#2.1 @exynos5422
    Scenario: "/soc/sysmmu@1120000" is an unanchored search and selects /soc/sysmmu@11200000
      Given the VM "vm0" of app "vm_minimal"
      When its passthrough plan is made
      Then the dtb entry "/soc/sysmmu@1120000" selects node "/soc/sysmmu@11200000" and passes its region at "0x11200000"

    @REQ-PASSTHROUGH-003 @source:platforms.md#2.5 @tx2
    Scenario: "/mc" first matches /thermal-zones/MCPU-therm, so the memory controller's IRQs 255 and 256 are not routed
      Given the VM "vm0" of app "vm_minimal"
      When its passthrough plan is made
      Then the dtb entry "/mc" selects node "/thermal-zones/MCPU-therm", which gives no region and no IRQ
      And the VM's passthrough IRQs include none of "255, 256"
