@x86
Feature: Generation-1 cross-VM dataports (hypercall and ioctl)
  The guest's dataport module allocates a buffer, makes the SHARE hypercall (token 1: id, guest
  physical address, size) and the VMM replaces the guest pages at that address with the frames
  of the CAmkES dataport (seL4SharedDataWithCaps), so the guest and the component share memory.
  The VMM checks the id against its dataports[] array and the size against the CAmkES size;
  any failure is fatal to the whole VM.

  @REQ-CROSSVM-GEN1-001 @source:cross-vm-connectors.md#2.3 @source:001#Implement-the-VMM-side-of-the-connection
  Scenario: bytes the guest writes through its mapping are what the component reads
    Given the print server app
    When I run "print_client hello" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      # print_client hello
      dataport received mmap for minor 1
      hello
      """

  @REQ-CROSSVM-GEN1-002 @source:cross-vm-connectors.md#8.2
  Scenario: bytes the component writes are what the guest reads, through a second dataport
    Given the string reverse app
    When I run "echo hello | string_reverse" in the guest
    Then the command succeeds
    And the console shows, in order:
      """
      dataport received mmap for minor 1
      dataport received mmap for minor 2
      olleh
      """

  @REQ-CROSSVM-GEN1-003 @source:cross-vm-connectors.md#2.3 @source:cross-vm-connectors.md#5.1
  Scenario Outline: a guest dataport size other than the CAmkES size (<size>) kills the VM
    Given the print server app with "dataport_init /dev/camkes_data <size>" in camkes_init
    When the guest boots and I log in
    Then the VM dies and the VMM prints, in order:
      """
      dataport_map_guest@cross_vm_dataport.c:25 Dataport guest size and host size are different (<size> and 4096)
      dataport_vmcall_handler@cross_vm_dataport.c:75 Failed to map dataport into guest
      VM_FATAL_ERROR ::: vmexit handler return error
      vmm_print_guest_context:27 | ================== GUEST OS CONTEXT =================
      """

    Examples:
      | size |
      | 8192 |
      | 5000 |
      | 2048 |

  @REQ-CROSSVM-GEN1-004 @source:cross-vm-connectors.md#5.1 @source:cross-vm-connectors.md#2.1
  Scenario: a guest dataport id beyond the VMM's array kills the VM
    Given the print server app with "dataport_init /dev/camkes_data 4096 /dev/camkes_extra 4096" in camkes_init
    When the guest boots and I log in
    Then the VM dies and the VMM prints, in order:
      """
      dataport_vmcall_handler@cross_vm_dataport.c:63 Dataport 2 not found
      VM_FATAL_ERROR ::: vmexit handler return error
      """

  @REQ-CROSSVM-GEN1-005 @source:cross-vm-connectors.md#5.1
  Scenario: two equal-size dataports swapped in dataport_init map the wrong buffers, silently
    Given the string reverse app with "dataport_init /dev/camkes_reverse_dest 8192 /dev/camkes_reverse_src 8192" in camkes_init
    When I run "echo hello | string_reverse" in the guest
    Then the command succeeds
    And the VM is still running
    And the console does not show the line "olleh"

  @REQ-CROSSVM-GEN1-006 @source:cross-vm-connectors.md#2.3 @source:cross-vm-connectors.md#5.1
  Scenario: without cross_vm_dataports_init the SHARE hypercall is skipped and nothing is shared
    Given the print server app without cross_vm_dataports_init in src/cross_vm.c
    When I run "print_client hello" in the guest
    Then the command succeeds
    And the VMM prints, in order:
      """
      vmm_vmcall_handler:55 | Failed to find handler for token:1
      """
    And the console does not show the line "hello"
    And the VM is still running
