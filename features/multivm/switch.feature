@arm
Feature: vm_multi's virtio-net switch: vm0 bridges vm1 and vm2
  vm0 bridges vm1 and vm2 over virtqueue virtio-net, MACs 02:00:00:00:AA:01 / :02 / :03
  (platforms.md 2.1 and 2.6 vm_multi rows). Each of vm1 and vm2 has one seL4VirtQueues link each
  way to vm0; vm0's VMM holds both and switches every frame by destination MAC from its
  `vswitch_layout` (src/vmm/virtio/switch.ts): a frame for a peer goes into that link's shared
  frames and rings the peer VMM's global endpoint, a broadcast goes to every link, a frame for vm0
  goes to vm0's receive queue. The reference gives no IP addresses, so the operator assigns them
  with ifconfig. On qemu-arm-virt the serial server waits for a TimeServer with no timer driver
  (CONFLICT, platforms.md 1.8), so no console can be driven; boards without a vm_multi
  configuration are not supported.

  @REQ-MULTIVM-030 @source:platforms.md#2.1 @source:platforms.md#2.6
  Scenario: vm1 pings vm2 through vm0's switch, and vm0 pings both
    Given the multi-VM app for this board
    When the multi-VM system is built with its VMMs and booted
    And the operator runs "ifconfig eth0 192.168.1.1" on vm0 at the multiplexed console
    And the operator runs "ifconfig eth0 192.168.1.2" on vm1 at the multiplexed console
    And the operator runs "ifconfig eth0 192.168.1.3" on vm2 at the multiplexed console
    And the operator runs "ping -c 1 192.168.1.3" on vm1 at the multiplexed console
    And the operator runs "ping -c 1 192.168.1.2" on vm0 at the multiplexed console
    And the operator runs "ping -c 1 192.168.1.3" on vm0 at the multiplexed console
    Then vm1 answered "ping -c 1 192.168.1.3" with exit status 0
    And vm0 answered "ping -c 1 192.168.1.2" with exit status 0
    And vm0 answered "ping -c 1 192.168.1.3" with exit status 0
    And the console of vm1 shows "1 packets transmitted, 1 packets received, 0% packet loss"
    And the console of vm0 shows "1 packets transmitted, 1 packets received, 0% packet loss"
    And the console of vm2 does not show "packets transmitted"
    And the trace shows vm0's VMM switching frames from vm1 to vm2
    And the trace shows vm0's VMM switching frames from vm2 to vm1
    And the trace shows vm0's VMM switching frames from vm0 to vm1
    And the trace shows vm0's VMM switching frames from vm0 to vm2
    And vm0's switch dropped no frame
    And every virtqueue link carried frames through its shared memory and doorbell
