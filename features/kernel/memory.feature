@all-boards
Feature: Frames, VSpaces and untyped memory
  Dataports are frames mapped into two address spaces; guest RAM comes from untyped pools that
  run out the way seL4's retype accounting says.

  Rule: two VSpaces mapping the same frame see the same bytes

    @REQ-KERNEL-MEM-001 @source:cross-vm-connectors.md#7.4
    Scenario: a write through one mapping is read through the other
      Given a frame "dataport" mapped into VSpace "vm0" at 0x10000 with rights "RW"
      And a frame "dataport" mapped into VSpace "component" at 0x20000 with rights "RW"
      When thread "guest" in VSpace "vm0" writes 0xcafe at 0x10008
      Then thread "reader" in VSpace "component" reads 0xcafe at 0x20008

    @REQ-KERNEL-MEM-002 @source:cross-vm-connectors.md#8.1
    Scenario: untouched frame memory reads as zero and costs nothing
      Given a frame "ram" mapped into VSpace "vm0" at 0x40000000 with rights "RW"
      Then thread "guest" in VSpace "vm0" reads 0 at 0x40000100
      And frame "ram" has no backing memory allocated

  Rule: an access without the right faults, and with no fault handler the thread is suspended

    @REQ-KERNEL-MEM-003 @source:seL4-manual#faults
    Scenario: a write to a read-only mapping suspends a thread that has no fault handler
      Given a frame "ro" mapped into VSpace "vm0" at 0x5000 with rights "R"
      When thread "guest" in VSpace "vm0" writes 1 at 0x5004
      Then thread "guest" is suspended after a VMFault on write at 0x5004
      And the kernel prints:
        """
        Caught cap fault in send phase at address 0x0
        while trying to handle:
        vm fault on data at address 0x5004 with status 0x1
        in thread "guest"
        """

  Rule: an untyped pool runs out with seL4_NotEnoughMemory

    @REQ-KERNEL-UT-001 @source:camkes-vm-seed#simple_untyped_pool
    Scenario: a pool that holds two TCBs refuses a third
      Given an untyped pool that holds exactly 2 TCBs
      When the root task retypes 2 TCBs from the pool
      Then the retype returns seL4_NoError
      When the root task retypes 1 TCB from the pool
      Then the retype returns seL4_NotEnoughMemory
