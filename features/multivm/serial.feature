@x86
Feature: The serial server multiplexes several guests' consoles (x86)
  Hardware COM1 is multiplexed: input goes to vm0 by default; `@N` (0-9, `:` and `;` for 10 and
  11) switches input to guest N; `@m` gives multi-guest input, `@d` debug, `@?` help; the escape
  character is only recognised after a newline (platforms.md 3.3). These scenarios drive the
  serial server's input switch with fake clients, then two booted guests end to end.

  @REQ-MULTIVM-020 @source:platforms.md#3.3
  Scenario: input goes to vm0 by default
    Given a serial server with input clients "vm0, vm1, vm2"
    When "ls\n" is typed at the serial console
    Then client vm0 received "ls\n"
    And client vm1 received ""
    And the serial server printed nothing

  @REQ-MULTIVM-021 @source:platforms.md#3.3
  Scenario Outline: @<key> after a newline switches input to client <n>
    Given a serial server with input clients "c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11"
    When "x\n@<key>hello\n" is typed at the serial console
    Then client c<n> received "hello\n"
    And client c0 received "x\n"
    And the serial server printed "Switching input to <n>"

    Examples:
      | key | n  |
      | 1   | 1  |
      | 9   | 9  |
      | :   | 10 |
      | ;   | 11 |

  @REQ-MULTIVM-022 @source:platforms.md#3.3
  Scenario: the escape character in the middle of a line is ordinary input
    Given a serial server with input clients "vm0, vm1"
    When "echo a@1b\n" is typed at the serial console
    Then client vm0 received "echo a@1b\n"
    And client vm1 received ""
    And the serial server printed nothing

  @REQ-MULTIVM-023 @source:platforms.md#3.3
  Scenario: the escape character is recognised at the very start and after each newline
    Given a serial server with input clients "vm0, vm1"
    When "@1one\n@0two\n" is typed at the serial console
    Then client vm1 received "one\n"
    And client vm0 received "two\n"

  @REQ-MULTIVM-024 @source:platforms.md#3.3
  Scenario: @m sends input to every guest
    Given a serial server with input clients "vm0, vm1, vm2"
    When "@mdate\n" is typed at the serial console
    Then client vm0 received "date\n"
    And client vm1 received "date\n"
    And client vm2 received "date\n"

  @REQ-MULTIVM-025 @source:platforms.md#3.3
  Scenario: @? prints help and @d changes the debug mode, neither reaches a guest
    Given a serial server with input clients "vm0, vm1"
    When "@?@d" is typed at the serial console
    Then the serial server printed " --- SerialServer help ---"
    And the serial server printed "Debug mode 1"
    And client vm0 received ""

  @REQ-MULTIVM-026 @source:platforms.md#3.3
  Scenario: a switch to a guest that does not exist is passed on as text
    Given a serial server with input clients "vm0, vm1"
    When "@5\n" is typed at the serial console
    Then client vm0 received "@5\n"
    And the serial server printed nothing

  @REQ-MULTIVM-027 @source:platforms.md#3.3 @source:platforms.md#3.6
  Scenario: two booted guests, input switched from vm0 to vm1 at the multiplexed console
    Given the multi-VM app for this board
    When the multi-VM system is built and run
    And "root\n@1root\n" is typed at the multiplexed console
    Then the multiplexed console shows the line "Switching input to 1" from serial
    And the console of vm0 shows "buildroot login: root"
    And the console of vm1 shows "buildroot login: root"
