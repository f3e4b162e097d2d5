Feature: Guest mode: 32-bit and 64-bit guests on each board
  platforms.md §1.1: an Arm VM build is AARCH64 (64-bit) with -DAARCH64=TRUE, else arm_hyp
  (32-bit); each board's kernel supports only some of these, and its guest images are a 32-bit
  zImage or a 64-bit arm64 Image (§2.x). §3.5: x86 guests must run 32-bit with PAE off; without
  64-bit guest support the VMM hides PAE, PSE and MSR from the guest's CPUID, and with
  KernelX86_64VTX64BitGuests (minimal_64) they are exposed and the 64-bit default kernel is used.
  The observed guest mode of a board is the set of modes whose guest actually booted to the login
  prompt on the simulated VMM; nothing is read from the board's documented row.

  @arm @x86 @matrix:guest-mode @REQ-GUESTMODE-001 @source:platforms.md#1.8 @source:platforms.md#1.1 @source:platforms.md#3.5
  Scenario: the board boots a 32-bit and a 64-bit guest, and the modes that booted are its guest mode
    When a 32-bit guest and a 64-bit guest are each booted on the board's VMM
    Then every boot reached the login prompt or was stopped with a message saying why
    And the modes that reached the login prompt are the board's observed guest mode

  @x86 @REQ-GUESTMODE-002 @source:platforms.md#3.5 @source:002#Booting-from-hard-drive
  Scenario: a 32-bit guest with PAE off boots on a VMM without 64-bit guest support, which hides PAE, PSE and MSR
    Given the x86 minimal app with its own configuration
    Then the VMM is built without 64-bit guest support
    When the guest kernel "i386 with PAE off" is booted
    Then the guest reaches the login prompt
    And the CPUID leaf 0x1 the guest read has EDX bits PAE, PSE and MSR clear
    And the CPUID leaf 0x80000001 the guest read has EDX bit LM clear

  @x86 @REQ-GUESTMODE-003 @source:platforms.md#3.5 @source:002#Booting-from-hard-drive
  Scenario: an i386 kernel with PAE on stops at boot: the VMM hides PAE from CPUID
    Given the x86 minimal app with its own configuration
    Then the VMM is built without 64-bit guest support
    When the guest kernel "i386 with PAE on" is booted
    Then the guest console shows the lines:
      """
      This kernel requires the following features not present on the CPU:
      pae
      Unable to boot - please use a kernel appropriate for your CPU.
      """
    And the guest never reaches the login prompt

  @x86 @REQ-GUESTMODE-003 @source:platforms.md#3.5
  Scenario: KernelX86_64VTX64BitGuests on an ia32 kernel is forced OFF, so a 64-bit kernel finds no long mode
    Given the x86 minimal app with KernelX86_64VTX64BitGuests "ON"
    Then the VMM is built without 64-bit guest support
    When the guest kernel "x86_64" is booted
    Then the guest console shows the lines:
      """
      This kernel requires an x86-64 CPU, but only detected an i686 CPU.
      Unable to boot - please use a kernel appropriate for your CPU.
      """
    And the guest never reaches the login prompt

  @x86 @REQ-GUESTMODE-004 @source:platforms.md#3.5 @source:platforms.md#3.6
  Scenario: with minimal_64's configuration the VMM exposes long mode, PAE, PSE and MSR and the 64-bit default kernel boots
    Given the x86 minimal app with KernelX86Sel4Arch "x86_64" and KernelX86_64VTX64BitGuests "ON"
    Then the VMM is built with 64-bit guest support
    When the guest kernel the configuration implies is booted
    Then the guest kernel booted is "x86_64"
    And the guest reaches the login prompt
    And the CPUID leaf 0x1 the guest read has EDX bits PAE, PSE and MSR set
    And the CPUID leaf 0x80000001 the guest read has EDX bit LM set

  @REQ-GUESTMODE-005 @source:platforms.md#1.1 @source:platforms.md#2.1 @source:platforms.md#2.4
  Scenario Outline: an Arm guest image of the other execution state faults on its first instruction and the VMM stops the VM
    When the <bits>-bit Arm guest image is booted on the board's <build> VMM build
    Then the VMM stops the VM with "VM_FATAL_ERROR ::: unhandled stage-2 fault: read of unmapped guest-physical address <vector>"
    And the guest console stays empty

    @aarch32
    Examples: arm_hyp builds (exynos5422, exynos5410, tk1): an arm64 Image takes the AArch32 undefined-instruction vector
      | bits | build   | vector |
      | 64   | arm_hyp | 0x4    |

    @aarch64
    Examples: AARCH64 builds: a zImage takes the AArch64 synchronous-exception vector (current EL, SPx)
      | bits | build   | vector |
      | 32   | aarch64 | 0x200  |
