@x86
Feature: Generation-1 id mismatches between guest, VMM glue and CAmkES (the table of reference 5.1)
  Dataport, emitted-event and consumed-event ids are three separate spaces: the guest takes a
  node's minor (its position in dataport_init / emits_event_init / consumes_event_init), the VMM
  indexes its dataports[] and emitted_events[] arrays by it (entry 0 NULL) and sends the explicit
  .id of a consumed_events[] element. Every row of the reference's mismatch table is a scenario;
  the rows covered elsewhere are:
    - guest size other than the CAmkES size: fatal, both sizes in decimal (REQ-CROSSVM-GEN1-003)
    - guest dataport id beyond the array: "Dataport <id> not found", fatal (REQ-CROSSVM-GEN1-004)
    - two equal-size dataports swapped: silent, wrong buffers (REQ-CROSSVM-GEN1-005)
    - emit id beyond the array / NULL slot: fatal (REQ-CROSSVM-GEN1-013 / REQ-CROSSVM-GEN1-014)
    - consumed .id with no guest node: silently lost (REQ-CROSSVM-GEN1-017)
    - consumed .id of 256 or more: "consumes_event poll: invalid event id" after the ACK (REQ-CROSSVM-GEN1-018)
    - consumed .id naming another node: that node wakes (REQ-CROSSVM-GEN1-019)
    - hooks not provided: dataport not shared, emit lost, consumes module fails its magic check
      (REQ-CROSSVM-GEN1-006, REQ-CROSSVM-GEN1-015, REQ-CROSSVM-GEN1-016)
  The rows below are the rest. The cross-VM probe app is the tutorial's system with a second pair
  of events (knock to the native EventEcho, answer back) and probe programs in its pkgs/.

  @REQ-CROSSVM-GEN1-022 @source:cross-vm-connectors.md#5.1 @source:cross-vm-connectors.md#2.3
  Scenario: dataport id 0, reachable only through a hand-made node of minor 0, kills the VM
    Given the cross-VM probe app
    When I run "grep dataport /proc/devices" in the guest
    Then the console shows the line "244 dataport"
    When I run "dataport_allocate /dev/camkes_data 4096" in the guest
    Then the command succeeds
    And the console shows the line "dataport_allocate returned 0"
    When I run "mknod /dev/camkes_data0 c 244 0" in the guest
    And I run "dataport_allocate /dev/camkes_data0 4096" in the guest
    Then the VM dies and the VMM prints, in order:
      """
      dataport_vmcall_handler@cross_vm_dataport.c:58 Illegal dataport id 0
      VM_FATAL_ERROR ::: vmexit handler return error
      vmm_print_guest_context:27 | ================== GUEST OS CONTEXT =================
      """

  @REQ-CROSSVM-GEN1-023 @source:cross-vm-connectors.md#5.1 @source:cross-vm-connectors.md#3.1
  Scenario: emitted event id 0, through a hand-made node of minor 0, kills the VM
    Given the print server app
    When I run "grep emits_event /proc/devices" in the guest
    Then the console shows the line "242 emits_event"
    When I run "mknod /dev/camkes_emit0 c 242 0" in the guest
    And I run "emits_event_emit /dev/camkes_emit0" in the guest
    Then the VM dies and the VMM prints, in order:
      """
      emit_event@cross_vm_emits_event.c:23 Invalid event id 0
      VM_FATAL_ERROR ::: vmexit handler return error
      vmm_print_guest_context:27 | ================== GUEST OS CONTEXT =================
      """

  @REQ-CROSSVM-GEN1-024 @source:cross-vm-connectors.md#5.1 @source:cross-vm-connectors.md#3.1
  Scenario: two emitted events swapped in the VMM's array fire each other's CAmkES event, silently
    Given the cross-VM probe app with "    do_print_emit," and "    knock_emit," swapped in src/cross_vm.c
    When I run "emits_event_emit /dev/camkes_do_print" in the guest
    And I run "sleep 1" in the guest
    Then the command succeeds
    And the console shows the line "EventEcho: knock"
    And the trace shows "knock_emit" by "vm0:vmm" 1 time
    And the trace shows "do_print_emit" by "vm0:vmm" 0 times
    When I run "emits_event_emit /dev/camkes_knock" in the guest
    And I run "consumes_event_wait /dev/camkes_done_printing" in the guest
    Then the command succeeds
    And the console shows the line "Back from waiting"
    And the trace shows "do_print_emit" by "vm0:vmm" 1 time
    And the console shows the line "EventEcho: knock" 1 time
    And the VM is still running
