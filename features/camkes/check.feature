Feature: camkes-tool's semantic checks, with upstream's wording and positions
  `vmconf check` rejects what camkes-tool rejects (reference A.12, A.13), at the position of the
  offending item, and accepts what it accepts.

  @arm @qemu-arm-virt @exynos5422 @REQ-CAMKES-CHECK-010 @source:cross-vm-connectors.md#8.3 @source:cross-vm-connectors.md#5.2
  Scenario: the upstream-style Arm vm_cross_connector app checks clean, ids 0 and all
    Given the vm_cross_connector app
    When I check it
    Then the check passes

  @x86 @REQ-CAMKES-CHECK-010 @source:cross-vm-connectors.md#8.2
  Scenario Outline: the string_reverse apps check clean
    Given the <app> app
    When I check it with --strict
    Then the check passes

    Examples:
      | app                 |
      | string_reverse_gen1 |
      | string_reverse_gen2 |

  @all-boards @REQ-CAMKES-CHECK-011 @source:003#Overview
  Scenario: the transition guide's Ping/Pong as quoted has an event connected backwards
    Given a spec:
      """
      import <std_connector.camkes>;
      component Ping { control; emits Done n1; consumes Ready n2; }
      component Pong { control; consumes Done n1; emits Ready n2; }
      assembly {
          composition {
              component Ping ping;
              component Pong pong;
              connection seL4Notification ntfn1(from ping.n1, to pong.n1);
              connection seL4Notification ntfn2(from ping.n2, to pong.n2);
          }
      }
      """
    When I check it
    Then the first error is at line 9 "connection 'ntfn2' has an end ping.n2 that cannot be used as 'from'"

  @all-boards @REQ-CAMKES-CHECK-012 @source:camkes-and-microkit-languages.md#A.13
  Scenario: two emitters to one seL4Notification consumer merge, then fail the one-emitter rule
    Given a spec:
      """
      import <std_connector.camkes>;
      component A { control; emits E e; }
      component B { control; consumes E c; }
      assembly { composition {
          component A a1; component A a2; component B b;
          connection seL4Notification n1(from a1.e, to b.c);
          connection seL4Notification n2(from a2.e, to b.c);
      } }
      """
    When I check it
    Then the check reports an error at line 7 "connection 'n1.n2' has multiple from ends but its connector type (seL4Notification) only permits one"

  @all-boards @REQ-CAMKES-CHECK-013 @source:camkes-and-microkit-languages.md#A.12
  Scenario: a non-optional interface left unconnected is an error; maybe, emits and provides are not
    Given a spec:
      """
      import <std_connector.camkes>;
      procedure P { void f(); }
      component C { control; uses P p; maybe uses P q; emits E e; provides P r; maybe dataport Buf d; }
      assembly { composition { component C c; } }
      """
    When I check it
    Then the check reports an error at line 4 "non-optional interface c.p is not connected"
    And the first error is at line 4 "non-optional interface c.p is not connected"

  @all-boards @REQ-CAMKES-CHECK-014 @source:camkes-and-microkit-languages.md#A.7
  Scenario: settings are type-checked only when the instance exists and the attribute is declared
    Given a spec:
      """
      component Foo { control; attribute int n; attribute unsigned int u; }
      assembly { composition { component Foo f; }
          configuration {
              nobody.n = "accepted: unknown instance";
              f.undeclared = "accepted: undeclared attribute";
              f.u = 5;
          } }
      """
    When I check it
    Then the first error is at line 6 "mistyped assignment of attribute of type unsigned int: For \"5\": required type is \"int\", but type is \"unsigned int\""

  @all-boards @REQ-CAMKES-CHECK-015 @source:camkes-and-microkit-languages.md#A.13
  Scenario: a hardware connector side must be a hardware component, and a software side must not
    Given a spec:
      """
      import <std_connector.camkes>;
      component A { control; dataport Buf x; }
      component Dev { hardware; dataport Buf regs; }
      assembly { composition { component A a; component Dev dev;
          connection seL4SharedData d(from a.x, to dev.regs); } }
      """
    When I check it
    Then the check reports an error at line 5 "connection 'd' has a type 'seL4SharedData' that is intended for connecting to software components, but end dev.regs refers to a hardware device"

  @all-boards @REQ-CAMKES-CHECK-016 @source:camkes-and-microkit-languages.md#A.4
  Scenario: references resolve backwards only
    Given a spec:
      """
      assembly { composition { component Later l; } }
      component Later { control; }
      """
    When I check it
    Then the check reports an error at line 1 "unknown reference to 'Later'"

  @all-boards @REQ-CAMKES-CHECK-017 @source:camkes-and-microkit-languages.md#A.13
  Scenario: a native seL4SharedData dataport must be a whole number of pages
    Given a spec:
      """
      import <std_connector.camkes>;
      component A { control; dataport Buf(6000) d; }
      assembly { composition { component A a; component A b;
          connection seL4SharedData s(from a.d, to b.d); } }
      """
    When I check it
    Then the check reports an error at line 2 "Setting Buf(6000) does not meet minimum size requirements. 6000 must be at least 4096 and 4096 aligned"
