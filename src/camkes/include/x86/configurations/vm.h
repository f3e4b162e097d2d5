/*
 * x86 CAmkES VM macros: seL4/camkes-vm components/VM/configurations/vm.h,
 * included as <configurations/vm.h> (x86 apps get -I<camkes-vm>/components/VM).
 *
 * What each macro expands to is from reference camkes-and-microkit-languages.md
 * A.15.1 (expansion verified upstream with `cpp -P`). Only cpp features upstream
 * relies on are used: #, ##, __VA_ARGS__. The CAmkES grammar is whitespace
 * insensitive, so each macro expands to one logical line of ADL items.
 */

#pragma once

/*
 * UNCONFIRMED: that the header itself imports the VM definitions. The tutorial's
 * minimal.camkes (seed 002) has no import line, yet it uses Init0's procedures
 * (PutChar, Timer, ...) and the connectors of VM_COMPOSITION_DEF(), so something it
 * includes must bring <VM/vm.camkes> in. The import is re-read harmlessly when
 * VM/vm.camkes includes this header (already-read files are skipped, A.4).
 */
import <VM/vm.camkes>;

/* Stringize / paste after expanding the arguments. */
#define _VAR_STRINGIZE(...) #__VA_ARGS__
#define VAR_STRINGIZE(...) _VAR_STRINGIZE(__VA_ARGS__)
#define _CAT(x, y) x##y
#define CAT(x, y) _CAT(x, y)

/* Badges of the notification the VMM waits on: BIT(27) marks an async event, bit
 * n+1 is guest PIC line n (reference A.15.1; cross-vm-connectors.md 4.2 gives
 * VM_PIC_BADGE_IRQ_12 = BIT(27)|BIT(13) = 134225920). For the VMM's C code only
 * (BIT() comes from libutils there); the ADL never uses them. */
#define VM_PIC_BADGE_IRQ_0 (BIT(27) | BIT(1))
#define VM_PIC_BADGE_IRQ_1 (BIT(27) | BIT(2))
#define VM_PIC_BADGE_IRQ_2 (BIT(27) | BIT(3))
#define VM_PIC_BADGE_IRQ_3 (BIT(27) | BIT(4))
#define VM_PIC_BADGE_IRQ_4 (BIT(27) | BIT(5))
#define VM_PIC_BADGE_IRQ_5 (BIT(27) | BIT(6))
#define VM_PIC_BADGE_IRQ_6 (BIT(27) | BIT(7))
#define VM_PIC_BADGE_IRQ_7 (BIT(27) | BIT(8))
#define VM_PIC_BADGE_IRQ_8 (BIT(27) | BIT(9))
#define VM_PIC_BADGE_IRQ_9 (BIT(27) | BIT(10))
#define VM_PIC_BADGE_IRQ_10 (BIT(27) | BIT(11))
#define VM_PIC_BADGE_IRQ_11 (BIT(27) | BIT(12))
#define VM_PIC_BADGE_IRQ_12 (BIT(27) | BIT(13))
#define VM_PIC_BADGE_IRQ_13 (BIT(27) | BIT(14))
#define VM_PIC_BADGE_IRQ_14 (BIT(27) | BIT(15))
#define VM_PIC_BADGE_IRQ_15 (BIT(27) | BIT(16))

/* Body of the per-guest component: `component Init0 { VM_INIT_DEF() }`.
 * The struct vswitch_mapping comes from Init/Init.camkes. */
#define VM_INIT_DEF() \
    control; \
    uses PutChar putchar; \
    uses PutChar guest_putchar; \
    uses PCIConfig pci_config; \
    uses RTC system_rtc; \
    consumes HaveInterrupt intready; \
    emits HaveInterrupt intready_connector; \
    uses Timer init_timer; \
    uses FileServerInterface fs; \
    uses GetChar serial_getchar; \
    attribute string kernel_cmdline; \
    attribute string kernel_image; \
    attribute string kernel_relocs; \
    attribute string initrd_image; \
    attribute int iospace_domain; \
    attribute int guest_ram_mb; \
    attribute int cnode_size_bits = 21; \
    attribute vswitch_mapping vswitch_layout[] = []; \
    attribute string vswitch_mac_address = ""; \
    attribute { \
        int send_id; \
        int recv_id; \
    } serial_layout[] = []; \
    attribute { \
        int cid; \
        int send_id; \
        int recv_id; \
    } socket_layout[] = []; \
    attribute int guest_cid = 0;

/* Infrastructure shared by all guests. */
#define VM_COMPOSITION_DEF() \
    component FileServer fserv; \
    component SerialServer serial; \
    component PCIConfigIO pci_config; \
    component TimeServer time_server; \
    component RTC rtc; \
    connection seL4RPCCall serial_pci_config(from pci_config.putchar, to serial.processed_putchar); \
    connection seL4RPCCall serial_time_server(from time_server.putchar, to serial.processed_putchar); \
    connection seL4RPCCall serial_rtc(from rtc.putchar, to serial.processed_putchar); \
    connection seL4TimeServer serialserver_timer(from serial.timeout, to time_server.the_timer);

/* Guest `num` is instance vm<num> of component Init<num>, which the app defines. */
#define VM_PER_VM_COMPONENTS(num) \
    component Init##num vm##num;

#define VM_PER_VM_CONNECTIONS(num) \
    connection seL4GlobalAsynch intreadycon##num(from vm##num.intready_connector, to vm##num.intready); \
    connection seL4RPCDataport fs##num(from vm##num.fs, to fserv.fs_ctrl); \
    connection seL4RPCCall serial_vm##num(from vm##num.putchar, to serial.processed_putchar); \
    connection seL4RPCCall serial_guest_vm##num(from vm##num.guest_putchar, to serial.raw_putchar); \
    connection seL4SerialServer serial_input##num(from vm##num.serial_getchar, to serial.getchar); \
    connection seL4RPCCall rtctest##num(from vm##num.system_rtc, to rtc.rtc); \
    connection seL4TimeServer CAT(pit##num, _timer)(from vm##num.init_timer, to time_server.the_timer); \
    connection seL4RPCCall pciconfig##num(from vm##num.pci_config, to pci_config.pci_config);

#define VM_PER_VM_COMP_DEF(num) \
    VM_PER_VM_COMPONENTS(num) \
    VM_PER_VM_CONNECTIONS(num)

#define VM_CONFIGURATION_DEF() \
    fserv.heap_size = 0x30000; \
    time_server.timers_per_client = 12; \
    time_server.priority = 255; \
    time_server.simple_extra_bootinfo = ["SEL4_BOOTINFO_HEADER_X86_TSC_FREQ"]; \
    time_server.simple = true; \
    serial.serial_irq_priority = 200;

/* Expands to nothing (reference A.15.1). */
#define VM_MAYBE_ZONE_DMA(num)

/*
 * UNCONFIRMED: the variadic tail. The 2025 header takes `(num)`, but the tutorial
 * (seed 002) writes VM_PER_VM_CONFIG_DEF(0, 2); the reference does not say what the
 * second argument meant in that era. Accepting and ignoring extra arguments lets
 * both forms expand (a fixed two-parameter macro would reject `(0)`, a
 * one-parameter macro would reject `(0, 2)`).
 */
#define VM_PER_VM_CONFIG_DEF(num, ...) \
    vm##num.fs_shmem_size = 0x1000; \
    vm##num.serial_getchar_attributes = VAR_STRINGIZE(num); \
    vm##num.serial_getchar_shmem_size = 0x1000; \
    vm##num.simple = true; \
    vm##num.asid_pool = true; \
    vm##num.global_endpoint_mask = 0x1fffffff & ~0x1fffe; \
    vm##num.global_endpoint_base = 1 << 27; \
    VM_MAYBE_ZONE_DMA(num)
