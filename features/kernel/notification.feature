@all-boards
Feature: seL4 notifications
  The VMM and CAmkES event connectors rely on the kernel's notification semantics: signals
  coalesce into one pending word, badges OR together, and one wait takes everything.

  Background:
    Given a notification "ready"

  Rule: a signal with nobody waiting leaves the notification active, ORing badges in

    @REQ-KERNEL-NTFN-001 @source:cross-vm-connectors.md#7.1
    Scenario: two signals before a wait are delivered as one wake-up with the badges ORed
      When thread "a" signals "ready" with badge 0x1
      And thread "a" signals "ready" with badge 0x2
      Then thread "b" waiting on "ready" receives badge 0x3

    @REQ-KERNEL-NTFN-002 @source:cross-vm-connectors.md#7.1
    Scenario: a wait on an active notification returns it to idle
      When thread "a" signals "ready" with badge 0x4
      And thread "b" waits on "ready"
      Then thread "b" receives badge 0x4
      And notification "ready" is Idle
      And polling "ready" returns 0

    @REQ-KERNEL-NTFN-003 @source:cross-vm-connectors.md#7.1
    Scenario: an unbadged signal still leaves the notification active with word 0
      When thread "a" signals "ready" with badge 0
      Then notification "ready" is Active
      And thread "b" waiting on "ready" receives badge 0

  Rule: a signal with waiters wakes the first queued waiter only

    @REQ-KERNEL-NTFN-004 @source:cross-vm-connectors.md#7.1
    Scenario: the first of two waiters is woken and the other keeps waiting
      When thread "w1" waits on "ready"
      And thread "w2" waits on "ready"
      And thread "a" signals "ready" with badge 0x8
      Then thread "w1" receives badge 0x8
      And thread "w2" is still waiting on "ready"

  Rule: poll returns the pending word without blocking

    @REQ-KERNEL-NTFN-005 @source:cross-vm-connectors.md#7.1
    Scenario: polling an idle notification returns 0
      Then polling "ready" returns 0

    @REQ-KERNEL-NTFN-006 @source:cross-vm-connectors.md#7.1
    Scenario: polling an active notification takes the word
      When thread "a" signals "ready" with badge 0x10
      Then polling "ready" returns 0x10
      And polling "ready" returns 0

  Rule: a bound notification completes its thread's receive on an endpoint

    @REQ-KERNEL-NTFN-007 @source:cross-vm-connectors.md#7.3
    Scenario: a signal wakes the bound thread blocked in Recv with the notification's badge
      Given an endpoint "vmm"
      And thread "vmm" is bound to "ready" and receives on "vmm"
      When thread "component" signals "ready" with badge 0x8
      Then thread "vmm" receives badge 0x8
