Feature: Guests are isolated by the capability distribution
  Each VMM component holds its own guest's RAM and capabilities; the simulated capability
  distribution (every CNode's caps, every VSpace's mappings, untyped memory, and the memory the
  assembly declares) shows that no VMM can reach another guest's memory, and that frames shared
  between components are exactly those of the declared dataport connections.

  @arm @REQ-MULTIVM-010 @source:platforms.md#2.1 @source:platforms.md#2.6 @source:004#Can-a-single-VMM-component-support-running-multiple-VM's?
  Scenario: no VMM of vm_multi can reach another guest's memory
    Given the multi-VM app for this board
    When the multi-VM system is built and run
    And the isolation analysis runs
    Then no VMM can reach another guest's memory
    And guest vm1 has its memory from declared
    And the frames shared between components are exactly those of the declared dataport connections

  @x86 @REQ-MULTIVM-011 @source:platforms.md#3.6 @source:camkes-and-microkit-languages.md#A.15.1
  Scenario: no Init VMM of the x86 multi-guest app can reach another guest's memory
    Given the multi-VM app for this board
    When the multi-VM system is built and run
    And the isolation analysis runs
    Then no VMM can reach another guest's memory
    And guest vm0 has its memory from vmm
    And guest vm1 has its memory from vmm
    And the frames shared between components are exactly those of the declared dataport connections
