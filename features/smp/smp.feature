Feature: SMP guests: vCPUs, the VMM's virtual power device and SGIs between vCPUs
  platforms.md §1.1: KernelMaxNumNodes is NUM_NODES when it is a plain decimal number, else 1, and
  the configure step refuses more than one node on exynos5422, exynos5410 and tk1. §1.2: the VMM
  caps the VM's num_vcpus by KernelMaxNumNodes, with an error log. A guest starts its secondary
  vCPUs with PSCI CPU_ON (an SMC the VMM's virtual power device answers); every vCPU has its own
  VCPU object, vGIC CPU interface and banked SGIs/PPIs (§1.3). x86 guests have one vCPU (§3.3).
  Every scenario runs the build rules (src/vmm/smp-config.ts) and the VMM, with a minimal guest
  whose vCPUs take and EOI their interrupts and run what the steps ask (src/vmm/arm/smp-probe.ts).

  @arm @x86 @REQ-SMP-001 @matrix:smp @source:platforms.md#1.1 @source:platforms.md#1.8 @source:platforms.md#3.3
  Scenario: an SMP guest brings up its secondary vCPUs
    Given the board's VM app is built with NUM_NODES and num_vcpus set to the board's core count, at least 2
    When the guest starts every secondary vCPU with PSCI CPU_ON
    Then every CPU_ON returned PSCI_SUCCESS
    And every secondary vCPU marked itself online in guest RAM
    And each vCPU ran on its own core

  @arm @REQ-SMP-002 @source:platforms.md#1.1 @source:platforms.md#1.2
  Scenario Outline: num_vcpus above KernelMaxNumNodes is capped with an error log, and the VM runs
    Given the board's VM app is built with NUM_NODES "<nodes>" and num_vcpus <vcpus>
    Then the VMM logs "Invalid 'num_vcpus' attribute setting: Exceeds maximum number of supported nodes. Capping value to CONFIG_MAX_NUM_NODES (1)"
    And the VMM created 1 vCPU
    And the boot vCPU runs the guest

    Examples: NUM_NODES that is not a plain decimal number gives KernelMaxNumNodes 1
      | nodes | vcpus |
      | 1     | 2     |
      | four  | 4     |
      | 2x    | 2     |

  @arm @REQ-SMP-003 @source:platforms.md#1.2
  Scenario Outline: num_vcpus of 0 or less becomes 1 vCPU with an error log
    Given the board's VM app is built with NUM_NODES "1" and num_vcpus <vcpus>
    Then the VMM logs "Invalid 'num_vcpus' attribute setting: Can't have 0 or negative amount of vcpus. Capping value to 1 vcpu (default value)"
    And the VMM created 1 vCPU
    And the boot vCPU runs the guest

    Examples:
      | vcpus |
      | 0     |
      | -1    |

  @REQ-SMP-004 @source:platforms.md#1.1
  Scenario Outline: more than one node fails the configure step on a platform without SMP VMs
    When the board's VM app is configured with NUM_NODES "<nodes>"
    Then the configure step fails with "<message>"

    @exynos5422
    Examples: exynos5422
      | nodes | message                              |
      | 2     | exynos5422 does not support SMP VMs  |
      | 8     | exynos5422 does not support SMP VMs  |

    @exynos5410
    Examples: exynos5410
      | nodes | message                              |
      | 4     | exynos5410 does not support SMP VMs  |

    @tk1
    Examples: tk1
      | nodes | message                       |
      | 4     | tk1 does not support SMP VMs  |

  @REQ-SMP-005 @source:platforms.md#1.1 @qemu-arm-virt @tx1 @tx2 @zcu102 @odroidc2
  Scenario Outline: KernelMaxNumNodes is NUM_NODES only when it is a plain decimal number
    When the board's VM app is configured with NUM_NODES "<nodes>"
    Then KernelMaxNumNodes is <max>

    Examples:
      | nodes | max |
      | 4     | 4   |
      | 02    | 2   |
      | 4.0   | 1   |
      | -2    | 1   |
      | four  | 1   |

  @arm @REQ-SMP-006 @matrix:smp @source:platforms.md#1.8 @source:platforms.md#1.2
  Scenario: the VMM's virtual power device answers the guest's PSCI calls
    Given the board's VM app is built with NUM_NODES "1" and num_vcpus 1
    Then the boot vCPU's SMC calls return these x0 values:
      | call                         | fid        | x1 | x2 | x3 | x0      |
      | PSCI_VERSION                 | 0x84000000 | 0  | 0  | 0  | 0x10000 |
      | AFFINITY_INFO of vCPU 0      | 0x84000004 | 0  | 0  | 0  | 0       |
      | CPU_ON of vCPU 0 (running)   | 0x84000003 | 0  | 0  | 0  | -4      |
      | CPU_ON of vCPU 1 (none)      | 0x84000003 | 1  | 0  | 1  | -2      |
      | a SiP service id             | 0x82000000 | 0  | 0  | 0  | -1      |

  @arm @REQ-SMP-007 @source:platforms.md#1.3
  Scenario Outline: an SGI written to GICD_SGIR by one vCPU interrupts the vCPUs it targets
    Given the board's VM app is built with NUM_NODES "2" and num_vcpus 2
    And the guest has started vCPU 1 and turned the distributor on
    When vCPU <from> writes <sgir> to GICD_SGIR
    Then vCPU <target> takes interrupt <sgi>
    And vCPU <other> takes no interrupt

    Examples: target list, all but self, self
      | from | sgir       | target | sgi | other |
      | 0    | 0x00020003 | 1      | 3   | 0     |
      | 1    | 0x00010004 | 0      | 4   | 1     |
      | 1    | 0x01000005 | 0      | 5   | 1     |
      | 1    | 0x02000007 | 1      | 7   | 0     |

  @arm @REQ-SMP-008 @source:platforms.md#1.3
  Scenario: the virtual timer PPI 27 is banked per vCPU
    Given the board's VM app is built with NUM_NODES "2" and num_vcpus 2
    And the guest has started vCPU 1 and turned the distributor on
    And vCPU 1 has enabled interrupt 27
    When the VMM injects interrupt 27 into vCPU 1
    Then vCPU 1 takes interrupt 27
    And vCPU 0 takes no interrupt
    And injecting interrupt 27 into vCPU 0 is refused, as vCPU 0 has not enabled its own PPI 27

  @arm @REQ-SMP-009 @source:platforms.md#1.8
  Scenario: CPU_OFF powers a vCPU off until the next CPU_ON, which enters the guest again
    Given the board's VM app is built with NUM_NODES "2" and num_vcpus 2
    And the guest has started vCPU 1 and turned the distributor on
    When vCPU 1 calls PSCI CPU_OFF
    Then AFFINITY_INFO of vCPU 1 returns 1
    And CPU_ON of vCPU 1 returns 0
    And vCPU 1 has entered the guest's secondary entry 2 times

  @x86 @REQ-SMP-010 @source:platforms.md#3.3
  Scenario: an x86 guest runs on one vCPU even when seL4 runs on two nodes
    Given the board's VM app is built with NUM_NODES "2" and num_vcpus 2
    Then the kernel runs on 2 cores
    And the VMM created 1 vCPU
    And the boot vCPU runs the guest
    And the guest's machine has no SMC to start another vCPU
