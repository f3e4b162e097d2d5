@all-boards
Feature: seL4 endpoints and the deadlock report
  RPC connectors are built on Call and Reply through badged endpoint capabilities; when a
  scenario can make no more progress the kernel says who waits on what.

  Rule: the receiver of a Call learns the badge of the caller's capability and replies to it

    @REQ-KERNEL-EP-001 @source:seL4-manual#ipc
    Scenario: call and reply with a badge
      Given an endpoint "rpc"
      And thread "server" answers one call on "rpc" with the caller's badge
      When thread "client" calls "rpc" through a cap badged 0x7 with message 42
      Then thread "server" received badge 0x7 and message 42
      And thread "client" gets the reply 0x7

  Rule: when every live thread is blocked and no timer is pending the run stops with a report

    @REQ-KERNEL-SCHED-001 @source:seL4-manual#ipc
    Scenario: a report names each blocked thread, the operation, the object and since when
      Given a notification "x"
      And an endpoint "rpc"
      When thread "a" sleeps 500 ns and then waits on "x"
      And thread "b" calls "rpc"
      Then the run stops with the deadlock report:
        """
        deadlock at t=500ns: every live thread is blocked and no timer is pending
          thread "a" waits in seL4_Wait on "ntfn x" (BlockedOnNotification) since t=500ns
          thread "b" waits in seL4_Call on "ep rpc" (BlockedOnSend) since t=500ns
        """
