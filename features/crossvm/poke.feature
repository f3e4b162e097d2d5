@x86
Feature: The x86 VM tutorial's poke module: a guest write that pokes the VMM
  The CAmkES x86 VM tutorial (seed 002, "Adding a kernel module") adds a module to the minimal
  app's guest: poke.c registers the character device "poke" with a dynamic major, and the init
  script, a copy of init_template, loads it with insmod. Its first version printks "hi" from the
  write handler; the second makes hypercall 4 (kvm_hypercall1(4, 0), "0..3 are taken by other
  hypercalls") and the VMM's poke_handler, registered with reg_new_handler on token 4, prints
  POKE!!! on the serial console and resumes the guest.

  @REQ-CROSSVM-X86-010 @source:002#Adding-a-kernel-module
  Scenario: the module takes the first dynamic major and is listed in /proc/devices
    Given the minimal poke app
    When I run "grep poke /proc/devices" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      poke initialized with major number 244
      Welcome to Buildroot
      buildroot login: root
      # grep poke /proc/devices
      244 poke
      """

  @REQ-CROSSVM-X86-011 @source:002#Adding-a-kernel-module
  Scenario: the first version's write handler runs: hi in the kernel log, and the shell reports the failed write
    Given the minimal poke app with "modules/poke/poke.c" replaced by "modules/poke_hi/poke_hi.c" in app.yaml
    When I run "mknod /dev/poke c 244 0" in the guest
    And I run "echo > /dev/poke" in the guest
    Then the command exits with status 1
    And the console shows, in order:
      """
      # mknod /dev/poke c 244 0
      # echo > /dev/poke
      hi
      -sh: write error: Bad address
      """
    And the trace does not show "vmcall"
    And the console does not show the line "POKE!!!"

  @REQ-CROSSVM-X86-012 @source:002#Adding-a-kernel-module @source:cross-vm-connectors.md#6.1
  Scenario: the hypercall version: a write to /dev/poke makes the VMM print POKE!!!
    Given the minimal poke app
    When I run "mknod /dev/poke c 244 0" in the guest
    And I run "echo > /dev/poke" in the guest
    Then the command succeeds
    And the VMM's reg_new_handler calls were, in order:
      | token | handler      | result |
      | 4     | poke_handler | 0      |
    And the console shows, in order:
      """
      # mknod /dev/poke c 244 0
      # echo > /dev/poke
      POKE!!!
      """
    And the console does not show the line "-sh: write error: Bad address"
    And the VM is still running

  @REQ-CROSSVM-X86-013 @source:002#Adding-a-kernel-module @source:cross-vm-connectors.md#6.1
  Scenario: each write is one hypercall: two writes, two POKE!!! lines
    Given the minimal poke app
    When I run "mknod /dev/poke c 244 0" in the guest
    And I run "echo > /dev/poke; echo > /dev/poke" in the guest
    Then the command succeeds
    And the console shows the line "POKE!!!" 2 times

  @REQ-CROSSVM-X86-014 @source:002#Adding-a-kernel-module @source:cross-vm-connectors.md#6.1
  Scenario: without poke_handler the hypercall is logged and skipped, and the write still succeeds
    Given the minimal poke app with "reg_new_handler(vmm, poke_handler, 4);" replaced by "" in src/poke_handler.c
    When I run "mknod /dev/poke c 244 0" in the guest
    And I run "echo > /dev/poke" in the guest
    Then the command succeeds
    And the VMM prints, in order:
      """
      vmm_vmcall_handler:55 | Failed to find handler for token:4
      """
    And the console does not show the line "POKE!!!"
