@x86
Feature: The CAmkES VM tutorials' apps check, and what they say must be configured is diagnosed
  The cross-VM tutorial (seed 000) and the x86 VM tutorial (seed 002) state what a CAmkES VM app
  must configure. `vmconf check` reports as errors what upstream's tools reject or what breaks
  the system, and as warnings what the documents demand but the tools no longer enforce
  (`--strict` makes those errors). Each scenario edits one line of a copy of the shipped app.

  @REQ-CAMKES-CHECK-001 @source:000#Instantiate-the-print-server
  Scenario: the completed cross-VM tutorial app loads and checks clean
    Given the tutorial app
    When I check it with --strict
    Then the check passes

  @REQ-CAMKES-CHECK-002 @source:002#Quick-walk-through-the-source-code
  Scenario: the tutorial's minimal app loads and checks clean
    Given the minimal app
    When I check it with --strict
    Then the check passes

  @REQ-CAMKES-CHECK-003 @source:camkes-and-microkit-languages.md#A.13 @source:cross-vm-connectors.md#7.4
  Scenario Outline: a cross-VM dataport size that is not a whole number of pages is an error
    Given the tutorial app with "vm0.data_size = <size>"
    When I check it
    Then the check reports an error at line 60 "Setting vm0.data_size does not meet minimum size requirements. <size> must be at least 4096 and 4096 aligned"

    Examples:
      | size |
      | 5000 |
      | 1024 |
      | 0    |

  @REQ-CAMKES-CHECK-003 @source:camkes-and-microkit-languages.md#A.13
  Scenario: a page-multiple dataport size is accepted
    Given the tutorial app with "vm0.data_size = 8192"
    When I check it
    Then the check passes

  @REQ-CAMKES-CHECK-004 @source:000#Instantiate-the-print-server @source:cross-vm-connectors.md#7.4
  Scenario: a VM dataport connected with plain seL4SharedData is an error
    Given the tutorial app with "connection seL4SharedData conn_data"
    When I check it
    Then the check reports an error at line 42 "connection 'conn_data' connects vm0.data, a dataport of VM component Init0, with seL4SharedData, which gives the VMM no capabilities to the dataport's frames, so it cannot map them into the guest; cross-VM dataports need seL4SharedDataWithCaps"

  @REQ-CAMKES-CHECK-005 @source:000#Instantiate-the-print-server @source:cross-vm-connectors.md#5.1
  Scenario: a seL4SharedDataWithCaps end without its id is a warning, an error under --strict
    Given the tutorial app with "without vm0.data_id"
    When I check it
    Then the check reports a warning at line 42 "vm0.data_id is not set: interfaces connected with seL4SharedDataWithCaps (connection 'conn_data') must be configured with the id of the dataport (the tutorial's rule; upstream now defaults it to 0)"
    And the check reports no errors
    When I check it with --strict
    Then the check reports an error at line 42 "vm0.data_id is not set: interfaces connected with seL4SharedDataWithCaps (connection 'conn_data') must be configured with the id of the dataport (the tutorial's rule; upstream now defaults it to 0)"

  @REQ-CAMKES-CHECK-005 @source:000#Instantiate-the-print-server @source:cross-vm-connectors.md#7.4
  Scenario: a seL4SharedDataWithCaps end without its size is a warning, an error under --strict
    Given the tutorial app with "without vm0.data_size"
    When I check it
    Then the check reports a warning at line 42 "vm0.data_size is not set: interfaces connected with seL4SharedDataWithCaps (connection 'conn_data') must be configured with the size of the dataport (the tutorial's rule; upstream now defaults it to 4096)"
    And the check reports no errors
    When I check it with --strict
    Then the check reports an error at line 42 "vm0.data_size is not set: interfaces connected with seL4SharedDataWithCaps (connection 'conn_data') must be configured with the size of the dataport (the tutorial's rule; upstream now defaults it to 4096)"

  @REQ-CAMKES-CHECK-006 @source:000#Instantiate-the-print-server @source:cross-vm-connectors.md#5.1
  Scenario Outline: generation-1 dataport ids must be contiguous from 1 (a warning; an error under --strict)
    Given the tutorial app with "vm0.data_id = <id>"
    When I check it
    Then the check reports a warning at line 59 "dataport ids of vm0 must be contiguous, starting from 1 (generation-1 cross-VM dataports: the id indexes the VMM's dataport array); found <id>"
    And the check reports no errors
    When I check it with --strict
    Then the check reports an error at line 59 "dataport ids of vm0 must be contiguous, starting from 1 (generation-1 cross-VM dataports: the id indexes the VMM's dataport array); found <id>"

    Examples:
      | id |
      | 0  |
      | 2  |

  @REQ-CAMKES-CHECK-006 @source:cross-vm-connectors.md#8.2
  Scenario: generation-1 string_reverse with ids 1 and 3 gets the contiguity warning at the second id
    Given the string_reverse_gen1 app with "vm0.dp2_id = 3"
    When I check it
    Then the check reports a warning at line 57 "dataport ids of vm0 must be contiguous, starting from 1 (generation-1 cross-VM dataports: the id indexes the VMM's dataport array); found 1, 3"

  @REQ-CAMKES-CHECK-007 @source:002#Quick-walk-through-the-source-code
  Scenario: the Ith guest must be component InitI, instance vmI
    Given the tutorial app with "component Init0 vm1;"
    When I check it
    Then the check reports an error at line 33 "guest instance 'vm1' is of component 'Init0', but the VM macros require the Ith guest to be component InitI, instance vmI (VM_PER_VM_COMP_DEF(I)): expected component Init1 for instance vm1, or instance vm0 for component Init0"
