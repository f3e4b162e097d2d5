@all-boards
Feature: IRQ handlers and acknowledgement
  Device interrupts reach user level as signals on the notification bound to the line's
  handler; the kernel masks the line until the handler acknowledges it.

  Rule: a line is handed out once

    @REQ-KERNEL-IRQ-001 @source:seL4-manual#interrupts
    Scenario: a second request for the same line is refused with seL4_RevokeFirst
      Given a notification "irq"
      And IRQ line 40 is edge-triggered and signals "irq" with badge 0x2
      When the root task asks IRQControl for line 40 again
      Then the request returns seL4_RevokeFirst

  Rule: an edge that arrives before Ack is held until Ack, and further edges coalesce

    @REQ-KERNEL-IRQ-002 @source:seL4-manual#interrupts
    Scenario: edges during the masked window are delivered once on Ack
      Given a notification "irq"
      And IRQ line 40 is edge-triggered and signals "irq" with badge 0x2
      When the device pulses IRQ line 40
      Then polling "irq" returns 0x2
      When the device pulses IRQ line 40
      And the device pulses IRQ line 40
      Then polling "irq" returns 0
      When the driver acknowledges IRQ line 40
      Then polling "irq" returns 0x2
      When the driver acknowledges IRQ line 40
      Then polling "irq" returns 0

  Rule: a level-triggered line fires again after Ack while its source stays asserted

    @REQ-KERNEL-IRQ-003 @source:seL4-manual#interrupts
    Scenario: an asserted level line re-fires after each Ack until deasserted
      Given a notification "irq"
      And IRQ line 41 is level-triggered and signals "irq" with badge 0x4
      When the device asserts IRQ line 41
      Then polling "irq" returns 0x4
      When the driver acknowledges IRQ line 41
      Then polling "irq" returns 0x4
      When the device deasserts IRQ line 41
      And the driver acknowledges IRQ line 41
      Then polling "irq" returns 0
