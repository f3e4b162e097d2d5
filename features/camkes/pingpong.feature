@all-boards
Feature: The Ping/Pong components exchange events and shared data on the simulated kernel
  Seed 003's two-component CAmkES system: Ping and Pong share two 4 KiB dataports
  (seL4SharedData) and signal each other through two seL4Notification connections. The
  components' code is the project's (the guide gives only the ADL): Ping writes "ping N" into
  sharedbuf_1 and emits n1; Pong waits on n1, answers "pong N" through sharedbuf_2 and n2.

  Background:
    Given the CAmkES app "pingpong"

  @REQ-CAMKES-RUNTIME-001 @source:003#Overview
  Scenario: each component sees the bytes the other wrote, in turn, for every round
    When the CAmkES system runs
    Then "pong" printed:
      """
      pong: got "ping 1"
      pong: got "ping 2"
      pong: got "ping 3"
      """
    And "ping" printed:
      """
      ping: got "pong 1"
      ping: got "pong 2"
      ping: got "pong 3"
      ping: done
      """
    And thread "ping:control" has exited

  @REQ-CAMKES-RUNTIME-002 @source:003#Overview @source:cross-vm-connectors.md#7.2
  Scenario: every event is a seL4_Signal by the emitter and a seL4_Wait by the consumer's interface thread
    When the CAmkES system runs
    Then the trace shows "ping:control" doing seL4_Signal on "ntfn ntfn1.pong.n1" 3 times
    And the trace shows "pong:control" doing seL4_Signal on "ntfn ntfn2.ping.n2" 3 times
    And the trace shows "pong:n1__run" doing seL4_Wait on "ntfn ntfn1.pong.n1" 4 times

  @REQ-CAMKES-RUNTIME-003 @source:003#Overview @source:cross-vm-connectors.md#7.4
  Scenario: each component holds exactly the authority its interfaces give it
    Then the CNode of "ping" holds exactly:
      | type         | object              | rights | badge |
      | TCB          | ping:control        | RWGP   | 0     |
      | Notification | ntfn ntfn1.pong.n1  | -W--   | 0     |
      | Notification | ntfn ntfn2.ping.n2  | R---   | 0     |
      | Notification | ntfn ping.n2 handoff | RW--  | 0     |
      | TCB          | ping:n2__run        | RWGP   | 0     |
    And "ping.sharedbuf_1" and "pong.sharedbuf_1" map the same frames
    And the CNode of "ping" holds 0 Frame capabilities to "frame channel1[0]"
