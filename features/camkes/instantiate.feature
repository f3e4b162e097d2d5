Feature: CAmkES assemblies instantiate on the simulated kernel with upstream's connector semantics
  The tutorial's files become kernel objects and capabilities as camkes-tool's templates make
  them, and the seL4Notification to-side runtime (interface thread, handoff semaphore,
  reg_callback) behaves as the templates do (cross-vm-connectors.md 4.5, 7.2, 7.4).

  @x86 @REQ-CAMKES-INST-001 @source:001#Adding-a-dataport @source:cross-vm-connectors.md#7.4
  Scenario: the tutorial's vm0.data_id and vm0.data_size reach the VM side's dataport handle
    Given the CAmkES app "crossvm_tutorial"
    Then the dataport handle "vm0.data" has id 1 and size 4096
    And the dataport handle "print_server.data" has id 0 and size 4096
    And "vm0.data" and "print_server.data" map the same frames

  @x86 @REQ-CAMKES-INST-002 @source:cross-vm-connectors.md#7.4
  Scenario: seL4SharedDataWithCaps puts the frame capabilities in both ends' CNodes
    Given the CAmkES app "crossvm_tutorial"
    Then the CNode of "vm0" holds 1 Frame capability to "frame conn_data[0]"
    And the CNode of "print_server" holds 1 Frame capability to "frame conn_data[0]"

  @x86 @REQ-CAMKES-INST-002 @source:cross-vm-connectors.md#7.4
  Scenario: plain seL4SharedData shares the frames but gives no frame capabilities
    Given the CAmkES app "crossvm_tutorial" with "connection seL4SharedDataWithCaps conn_data" changed to "connection seL4SharedData conn_data"
    Then the CNode of "vm0" holds 0 Frame capabilities to "frame conn_data[0]"
    And "vm0.data" and "print_server.data" map the same frames

  @all-boards @REQ-CAMKES-RUNTIME-004 @source:cross-vm-connectors.md#7.1
  Scenario: an event emitted before the consumer waits is delivered
    Given a sender and a receiver connected by seL4Notification
    When the sender emits 1 time in a row
    And the receiver waits
    And the CAmkES system runs
    Then the receiver observed:
      """
      wait returns
      """

  @all-boards @REQ-CAMKES-RUNTIME-005 @source:cross-vm-connectors.md#4.5
  Scenario: a callback is one-shot, a second registration returns -1, and a pending event calls it at once
    Given a sender and a receiver connected by seL4Notification
    When the receiver registers callback "A"
    And the receiver registers callback "B"
    And the sender emits 1 time in a row
    And the sender emits 1 time in a row
    And the receiver registers callback "C"
    And the receiver polls
    And the CAmkES system runs
    Then the receiver observed:
      """
      reg_callback A returns 0
      reg_callback B returns -1
      callback A runs in receiver:e__run
      callback C runs in receiver:control
      reg_callback C returns 0
      poll returns 0
      """

  @all-boards @REQ-CAMKES-RUNTIME-006 @source:cross-vm-connectors.md#7.2
  Scenario: signals that reach the notification while the interface thread is busy coalesce
    Given a sender and a receiver connected by seL4Notification
    When the sender emits 3 times in a row
    And the receiver polls
    And the receiver polls
    And the receiver polls
    And the CAmkES system runs
    Then the receiver observed:
      """
      poll returns 1
      poll returns 1
      poll returns 0
      """
