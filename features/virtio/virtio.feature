Feature: Virtio PCI, virtio console and virtio net on each board (feature matrix columns)
  Virtio devices sit on the VM's virtual PCI bus with the board's virtio line (platforms.md 1.6:
  124 exynos5, 252 tx2, 82 qemu-arm-virt, 190 zynqmp; x86 Init lines 6 and 9, 3.3). The VMM build
  enables them with VmPCISupport and a virtio option, which VM_Arm allows only on some platforms
  (1.6 "Build gates"); the example apps that use them target the boards of 1.9: vm_virtio_net
  (exynos5422, tx2, zcu102) and vm_serial_server (exynos5422). Each scenario builds the board's
  app with the options its settings.cmake sets and runs it: what the build refuses, or an app not
  shipped for the board, is the observed "not supported" with the reason the build gave.

  @arm @x86 @matrix:virtio-pci @REQ-VIRTIO-001 @source:platforms.md#1.6 @source:platforms.md#1.9
  Scenario: the guest finds a virtio-net device on the virtual PCI bus and takes its interrupt
    When the virtio-net app is built for this board and its guests boot
    Then vm0's eth0 has the hardware address "02:00:00:00:AA:01"
    And vm0's guest kernel handled the board's virtio-net interrupt

  @arm @x86 @matrix:virtio-net @REQ-VIRTIO-002 @source:platforms.md#1.9 @source:platforms.md#2.1 @source:004#Platform-Configuration-Notes
  Scenario: two guests joined by seL4VirtQueues ping and arping each other
    When the virtio-net app is built for this board and its guests boot
    Then the serial console shows "Ping test was successful" from vm0
    When I type "arping -c 2 -I eth0 192.168.1.2" at vm0's shell
    Then the serial console shows "Unicast reply from 192.168.1.2 [02:00:00:00:AA:02]" from vm0
    And the serial console shows "Received 2 response(s)" from vm0
    And each virtqueue link carried frames through its shared memory and doorbell

  @arm @x86 @matrix:virtio-console @REQ-VIRTIO-003 @source:platforms.md#1.6 @source:platforms.md#2.1 @source:004#Platform-Configuration-Notes
  Scenario: the guest console over hvc0 goes through the serial server, and typed input comes back
    When the virtio-console app is built for this board and its guest boots
    And I type "echo hello over hvc0" at the guest's hvc0 console
    Then the serial server printed "hello over hvc0" for the guest
    And the guest's console is hvc0
