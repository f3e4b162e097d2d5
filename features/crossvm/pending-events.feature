@x86
Feature: Generation-1 consumed events: the pending flag (reference 4.3)
  The guest's consumes_event module keeps one status flag per event id, global to the module:
  the interrupt sets it, and the .poll that reports POLLIN clears it. consumes_event_wait is
  poll(fd, POLLIN, -1); consumes_event_poll is the same with timeout 0 (no upstream program
  calls it: the cross-VM probe app's consumes_event_poll program does, and prints its result).
  Rules covered elsewhere: the event pending for nobody is taken by the next wait
  (REQ-CROSSVM-GEN1-010), several events coalesce into one (REQ-CROSSVM-GEN1-011), one event
  wakes exactly one of several waiters (REQ-CROSSVM-GEN1-012).
  In the probe app the guest's knock makes the native EventEcho answer (consumed event id 2,
  /dev/camkes_answer); EventEcho also answers once at start, before the guest has booted.

  @REQ-CROSSVM-GEN1-025 @source:cross-vm-connectors.md#4.3
  Scenario: an event nobody waits for is remembered once: the next poll on any node of its minor, even one made later, takes it
    Given the cross-VM probe app
    When I run "emits_event_emit /dev/camkes_knock" in the guest
    And I run "sleep 1" in the guest
    And I run "grep consumes_event /proc/devices" in the guest
    Then the console shows the line "243 consumes_event"
    When I run "mknod /dev/answer_too c 243 2" in the guest
    And I run "consumes_event_poll /dev/answer_too" in the guest
    And I run "consumes_event_poll /dev/camkes_answer" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      # consumes_event_poll /dev/answer_too
      consumes_event_poll returned 1
      # consumes_event_poll /dev/camkes_answer
      consumes_event_poll returned 0
      """

  @REQ-CROSSVM-GEN1-026 @source:cross-vm-connectors.md#4.3
  Scenario: a non-blocking poll consumes the pending flag too, so a wait after it blocks
    Given the cross-VM probe app
    When I run "emits_event_emit /dev/camkes_knock" in the guest
    And I run "sleep 1" in the guest
    And I run "consumes_event_poll /dev/camkes_answer" in the guest
    Then the console shows the line "consumes_event_poll returned 1"
    When I run "consumes_event_wait /dev/camkes_answer" in the guest
    Then nothing can run any more
    And the deadlock report names "consumes_event_wait"
    And the console does not show the line "Back from waiting"

  @REQ-CROSSVM-GEN1-027 @source:cross-vm-connectors.md#4.3
  Scenario: the pending state is per event id: an answer pending on id 2 does not satisfy a poll on id 1
    Given the cross-VM probe app
    When I run "emits_event_emit /dev/camkes_knock" in the guest
    And I run "sleep 1" in the guest
    And I run "consumes_event_poll /dev/camkes_done_printing" in the guest
    And I run "consumes_event_poll /dev/camkes_answer" in the guest
    Then the console shows, in order:
      """
      # consumes_event_poll /dev/camkes_done_printing
      consumes_event_poll returned 0
      # consumes_event_poll /dev/camkes_answer
      consumes_event_poll returned 1
      """

  @REQ-CROSSVM-GEN1-028 @source:cross-vm-connectors.md#4.3 @source:cross-vm-connectors.md#4.2
  Scenario: an event sent before the guest's module initialised is dropped, not left pending
    Given the cross-VM probe app
    When I run "consumes_event_poll /dev/camkes_answer" in the guest
    Then the command succeeds
    And the console shows the line "consumes_event_poll returned 0"
    And the VMM dropped an answer event because the guest had no event context
    When I run "emits_event_emit /dev/camkes_knock" in the guest
    And I run "sleep 1" in the guest
    And I run "consumes_event_poll /dev/camkes_answer" in the guest
    Then the console shows the line "consumes_event_poll returned 1"

  @REQ-CROSSVM-GEN1-029 @source:cross-vm-connectors.md#4.3 @source:cross-vm-connectors.md#4.2
  Scenario: a wait on a node of minor 256 or more gets POLLERR at once, which counts as success
    Given the print server app
    When I run "grep consumes_event /proc/devices" in the guest
    Then the console shows the line "243 consumes_event"
    When I run "mknod /dev/camkes_event300 c 243 300" in the guest
    And I run "consumes_event_wait /dev/camkes_event300" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      # consumes_event_wait /dev/camkes_event300
      Back from waiting
      """
