@x86
Feature: Generation-1 hypercall numbering and handler registration (libsel4vmm)
  The VMM matches a vmcall's EAX against the tokens registered with reg_new_handler. libcrossvm
  registers 1 (dataports), 2 (consumed events) and 3 (emitted events) before the guest runs;
  registering a token twice returns -1 and keeps the first handler; an unknown token is logged
  and skipped (reference 6.1).

  @REQ-CROSSVM-GEN1-020 @source:cross-vm-connectors.md#6.1 @source:cross-vm-connectors.md#1.2
  Scenario: libcrossvm registers tokens 1, 2 and 3 before the guest boots
    Given the print server app
    When the guest boots and I log in
    Then the VMM's reg_new_handler calls were, in order:
      | token | handler                          | result |
      | 1     | dataport_vmcall_handler          | 0      |
      | 3     | event_vmcall_handler (emits)     | 0      |
      | 2     | event_vmcall_handler (consumes)  | 0      |

  @REQ-CROSSVM-GEN1-021 @source:cross-vm-connectors.md#6.1 @source:002#Adding-a-kernel-module
  Scenario: a second handler for a taken token is refused and the first one keeps working
    Given the print server app with "int cross_vm_dataports_init(vmm_t *vmm) {" replaced by "static int poke_handler(vmm_vcpu_t *vcpu) { printf("POKE!!!\n"); return 0; } void poke_init(vmm_t *vmm) { reg_new_handler(vmm, poke_handler, 1); } int cross_vm_dataports_init(vmm_t *vmm) {" in src/cross_vm.c
    When I run "print_client hello" in the guest
    Then the VMM's reg_new_handler calls were, in order:
      | token | handler                          | result |
      | 1     | dataport_vmcall_handler          | 0      |
      | 1     | poke_handler                     | -1     |
    And the command succeeds
    And the console shows the line "hello"
    And the console does not show the line "POKE!!!"
