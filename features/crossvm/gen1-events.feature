@x86
Feature: Generation-1 cross-VM events (emits and consumes)
  Emitting: the guest's emits_event module makes the EMIT hypercall (token 3) with the node's
  minor as the event id; the VMM calls the CAmkES <event>_emit(), a seL4_Signal, and resumes the
  guest. Consuming: the VMM's interface thread writes the event's .id into the page the guest's
  consumes_event module shared at INIT (token 2), injects PIC line 12 and waits in
  cross_vm_event_mutex for the guest's ACK; the module sets a per-id pending flag that the next
  poll on that id takes.

  @REQ-CROSSVM-GEN1-010 @source:cross-vm-connectors.md#3.1 @source:000#Emitting-Events
  Scenario: an emit does not block the guest, and the event pending for nobody is taken by the next wait
    Given the print server app
    When I run "emits_event_emit /dev/camkes_do_print" in the guest
    Then the command succeeds
    When I run "consumes_event_wait /dev/camkes_done_printing" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      # consumes_event_wait /dev/camkes_done_printing
      Back from waiting
      """

  @REQ-CROSSVM-GEN1-011 @source:cross-vm-connectors.md#4.3 @source:cross-vm-connectors.md#4.4
  Scenario: two events with no wait in between coalesce into one pending flag
    Given the print server app
    When I run "emits_event_emit /dev/camkes_do_print" in the guest
    And I run "emits_event_emit /dev/camkes_do_print" in the guest
    And I run "consumes_event_wait /dev/camkes_done_printing" in the guest
    Then the command succeeds
    When I run "consumes_event_wait /dev/camkes_done_printing" in the guest
    Then nothing can run any more
    And the deadlock report names "consumes_event_wait"

  @REQ-CROSSVM-GEN1-012 @source:cross-vm-connectors.md#4.3
  Scenario: one event wakes exactly one of several waiters
    Given the print server app
    When I run "consumes_event_wait /dev/camkes_done_printing &" in the guest
    And I run "consumes_event_wait /dev/camkes_done_printing &" in the guest
    And I run "emits_event_emit /dev/camkes_do_print" in the guest
    And I run "sleep 1" in the guest
    Then the console shows the line "Back from waiting" 1 time
    When I run "emits_event_emit /dev/camkes_do_print" in the guest
    And I run "sleep 1" in the guest
    Then the console shows the line "Back from waiting" 2 times

  @REQ-CROSSVM-GEN1-013 @source:cross-vm-connectors.md#3.1 @source:cross-vm-connectors.md#5.1
  Scenario: an emitted event id beyond the VMM's array kills the VM
    Given the print server app with "emits_event_init /dev/camkes_do_print /dev/camkes_extra" in camkes_init
    When I run "emits_event_emit /dev/camkes_extra" in the guest
    Then the VM dies and the VMM prints, in order:
      """
      emit_event@cross_vm_emits_event.c:28 Invalid event id 2. Id must be in range 1..1
      VM_FATAL_ERROR ::: vmexit handler return error
      """

  @REQ-CROSSVM-GEN1-014 @source:cross-vm-connectors.md#3.1 @source:cross-vm-connectors.md#5.1
  Scenario: an emitted event id whose array slot is NULL kills the VM
    Given the print server app with "    do_print_emit," replaced by "    do_print_emit, NULL," in src/cross_vm.c
    And the print server app with "emits_event_init /dev/camkes_do_print /dev/camkes_extra" in camkes_init
    When I run "emits_event_emit /dev/camkes_extra" in the guest
    Then the VM dies and the VMM prints, in order:
      """
      emit_event@cross_vm_emits_event.c:35 No emit function found for id 2
      VM_FATAL_ERROR ::: vmexit handler return error
      """

  @REQ-CROSSVM-GEN1-015 @source:cross-vm-connectors.md#3.1 @source:cross-vm-connectors.md#6.1
  Scenario: without cross_vm_emits_events_init the emit is lost and the client waits forever
    Given the print server app without cross_vm_emits_events_init in src/cross_vm.c
    When I run "print_client hello" in the guest
    Then nothing can run any more
    And the VMM prints, in order:
      """
      vmm_vmcall_handler:55 | Failed to find handler for token:3
      """
    And the console does not show the line "hello"
    And the deadlock report names "print_server:control"
    And the deadlock report names "print_client"

  @REQ-CROSSVM-GEN1-016 @source:cross-vm-connectors.md#4.1 @source:cross-vm-connectors.md#5.1
  Scenario: without cross_vm_consumes_events_init the consumes_event module fails its magic check
    Given the print server app without cross_vm_consumes_events_init in src/cross_vm.c
    When the guest boots and I log in
    Then the VMM prints, in order:
      """
      vmm_vmcall_handler:55 | Failed to find handler for token:2
      """
    And the console shows "incorrect event context magic number (expected 42, got 0)" on a line
    And the VM is still running

  @REQ-CROSSVM-GEN1-017 @source:cross-vm-connectors.md#5.1
  Scenario: a consumed .id with no guest node loses the event
    Given the print server app with "{ .id = 1, .reg_callback" replaced by "{ .id = 2, .reg_callback" in src/cross_vm.c
    When I run "print_client hello" in the guest
    Then nothing can run any more
    And the console shows the line "hello"
    And the deadlock report names "print_client"

  @REQ-CROSSVM-GEN1-018 @source:cross-vm-connectors.md#5.1 @source:cross-vm-connectors.md#4.2
  Scenario: a consumed .id of 256 or more is dropped by the guest after its ACK
    Given the print server app with "{ .id = 1, .reg_callback" replaced by "{ .id = 300, .reg_callback" in src/cross_vm.c
    When I run "print_client hello" in the guest
    Then nothing can run any more
    And the console shows "consumes_event poll: invalid event id" on a line

  @REQ-CROSSVM-GEN1-019 @source:cross-vm-connectors.md#5.1
  Scenario: a consumed .id naming another node wakes that node instead
    Given the print server app with "{ .id = 1, .reg_callback" replaced by "{ .id = 2, .reg_callback" in src/cross_vm.c
    And the print server app with "consumes_event_init /dev/camkes_done_printing /dev/camkes_other" in camkes_init
    When I run "emits_event_emit /dev/camkes_do_print" in the guest
    And I run "consumes_event_wait /dev/camkes_other" in the guest
    Then the command succeeds
    And the console shows the line "Back from waiting"
