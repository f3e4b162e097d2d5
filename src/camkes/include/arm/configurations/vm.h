/*
 * Arm CAmkES VM macros: seL4/camkes-vm components/VM_Arm/configurations/vm.h,
 * included as <configurations/vm.h> (Arm apps set cpp_includes
 * "<camkes-vm>/components/VM_Arm").
 *
 * What each macro expands to is from reference camkes-and-microkit-languages.md
 * A.15.2 (expansion verified upstream with `cpp -P` on vm_minimal and vm_multi).
 * Only cpp features upstream relies on are used: #, ##, __VA_ARGS__, GNU named
 * variadics (`args...`), #if on -D flags. Unlike the x86 header this one imports
 * nothing: Arm apps import the servers themselves and many define their own
 * `component VM { VM_INIT_DEF() ... }` (reference A.15.2 "Files").
 */

#pragma once

/* Stringize after expanding the arguments (devices.camkes use it to turn address
 * macros into the string fields of vm_address_config). */
#define _VAR_STRINGIZE(...) #__VA_ARGS__
#define VAR_STRINGIZE(...) _VAR_STRINGIZE(__VA_ARGS__)

/* __CALL(f, a, b, ...) expands to f(a) f(b) ... for 1 to 8 arguments. */
#define __CALL1(f, a) f(a)
#define __CALL2(f, a, rest...) f(a) __CALL1(f, rest)
#define __CALL3(f, a, rest...) f(a) __CALL2(f, rest)
#define __CALL4(f, a, rest...) f(a) __CALL3(f, rest)
#define __CALL5(f, a, rest...) f(a) __CALL4(f, rest)
#define __CALL6(f, a, rest...) f(a) __CALL5(f, rest)
#define __CALL7(f, a, rest...) f(a) __CALL6(f, rest)
#define __CALL8(f, a, rest...) f(a) __CALL7(f, rest)
#define __CALL_NAME(_1, _2, _3, _4, _5, _6, _7, _8, NAME, rest...) NAME
#define __CALL(f, args...) \
    __CALL_NAME(args, __CALL8, __CALL7, __CALL6, __CALL5, __CALL4, __CALL3, __CALL2, __CALL1)(f, args)

/* Platform-conditional interfaces, selected by -D flags built with AddCamkesCPPFlag
 * (reference A.1). UNCONFIRMED: the procedures gen_fwd_inf and pwm_inf are not
 * modelled; these fragments only expand on tk1 (TK1DEVICEFWD=1) and exynos5410. */
#if TK1DEVICEFWD
#define DEF_TK1DEVICEFWD \
    uses gen_fwd_inf uartfwd; \
    uses gen_fwd_inf clkcarfwd;
#else
#define DEF_TK1DEVICEFWD
#endif

#if KERNELARMPLATFORM_EXYNOS5410
#define DEF_KERNELARMPLATFORM_EXYNOS5410 \
    uses pwm_inf pwm; \
    dataport Buf cmu_cpu; \
    dataport Buf cmu_top; \
    dataport Buf gpio_right; \
    dataport Buf cmu_core;
#else
#define DEF_KERNELARMPLATFORM_EXYNOS5410
#endif

/* Body of the VMM component: `component VM { VM_INIT_DEF() }`. */
#define VM_INIT_DEF() \
    control; \
    uses FileServerInterface fs; \
    DEF_TK1DEVICEFWD \
    DEF_KERNELARMPLATFORM_EXYNOS5410 \
    maybe consumes restart restart_event; \
    has semaphore vm_sem; \
    maybe uses Batch batch; \
    maybe uses PutChar guest_putchar; \
    maybe uses GetChar serial_getchar; \
    maybe uses VirtQueueDev recv; \
    maybe uses VirtQueueDrv send; \
    consumes HaveNotification notification_ready; \
    emits HaveNotification notification_ready_connector; \
    maybe uses VMDTBPassthrough dtb_self; \
    provides VMDTBPassthrough dtb; \
    attribute int base_prio; \
    attribute int num_vcpus = 1; \
    attribute int num_extra_frame_caps; \
    attribute int extra_frame_map_address; \
    attribute { \
        string ram_base; \
        string ram_paddr_base; \
        string ram_size; \
        string dtb_addr; \
        string initrd_addr; \
        string kernel_entry_addr = "-1"; \
    } vm_address_config; \
    attribute { \
        string kernel_name = "linux"; \
        string dtb_name = "linux-dtb"; \
        string initrd_name = "linux-initrd"; \
        string kernel_bootcmdline = ""; \
        string kernel_stdout = ""; \
        string dtb_base_name = ""; \
        int provide_dtb = true; \
        int generate_dtb = false; \
        int provide_initrd = true; \
        int clean_cache = false; \
        int map_one_to_one = false; \
    } vm_image_config; \
    /* Deprecated: used when vm_address_config is absent; linux_ram_offset and */ \
    /* initrd_max_size are obsolete. */ \
    attribute { \
        string linux_ram_base; \
        string linux_ram_paddr_base; \
        string linux_ram_size; \
        string linux_ram_offset = "0"; \
        string dtb_addr; \
        string initrd_max_size = "-1"; \
        string initrd_addr; \
    } linux_address_config; \
    /* Deprecated: used when vm_image_config is absent. */ \
    attribute { \
        string linux_name = "linux"; \
        string dtb_name = "linux-dtb"; \
        string initrd_name = "linux-initrd"; \
        string linux_bootcmdline = ""; \
        string linux_stdout = ""; \
        string dtb_base_name = ""; \
    } linux_image_config; \
    attribute { \
        int send_id; \
        int recv_id; \
    } serial_layout[] = [];

/* Infrastructure shared by all VMs. */
#define VM_GENERAL_COMPOSITION_DEF() \
    component FileServer fserv;

#define VM_COMPONENT_DEF(num) \
    component VM vm##num;

/* seL4GlobalAsynch self-connection: gives the VMM a badged notification on its
 * main endpoint. The DTB passthrough connection is added by each app. */
#define VM_COMPONENT_CONNECTIONS_DEF(num) \
    connection seL4RPCDataport fs##num(from vm##num.fs, to fserv.fs_ctrl); \
    connection seL4GlobalAsynch notify_ready_vm##num(from vm##num.notification_ready_connector, to vm##num.notification_ready);

#define VM_COMPOSITION_DEF(num) \
    VM_COMPONENT_DEF(num) \
    VM_COMPONENT_CONNECTIONS_DEF(num)

#define VM_GENERAL_CONFIGURATION_DEF() \
    fserv.heap_size = 0x30000;

#define VM_CONFIGURATION_DEF(num) \
    vm##num.fs_shmem_size = 0x100000; \
    vm##num.global_endpoint_base = 1 << 27; \
    vm##num.asid_pool = true; \
    vm##num.simple = true; \
    vm##num.base_prio = 100; \
    vm##num._priority = 101; \
    vm##num.sem_value = 0; \
    vm##num.heap_size = 0x300000;

#define VM_DOMAIN_CONFIGURATION_DEF(num, domain) \
    vm##num._domain = domain; \
    vm##num.tcb_pool = 2; \
    vm##num.tcb_pool_domains = [domain, domain];

/* Virtual serial (virtio console to the SerialServer). */
#define VM_VIRTUAL_SERIAL_COMPONENTS_DEF() \
    component SerialServer serial; \
    component TimeServer time_server; \
    connection seL4TimeServer serialserver_timer(from serial.timeout, to time_server.the_timer);

#define PER_VM_VIRTUAL_SERIAL_CONNECTIONS_DEF(num) \
    connection seL4SerialServer serial_vm##num(from vm##num.batch, to serial.processed_batch); \
    connection seL4SerialServer serial_input_vm##num(from vm##num.serial_getchar, to serial.getchar);

#define VM_VIRTUAL_SERIAL_COMPOSITION_DEF(vm_ids...) \
    VM_VIRTUAL_SERIAL_COMPONENTS_DEF() \
    __CALL(PER_VM_VIRTUAL_SERIAL_CONNECTIONS_DEF, vm_ids)

#define VM_VIRTUAL_SERIAL_GENERAL_CONFIGURATION_DEF() \
    time_server.timers_per_client = 1; \
    time_server.priority = 255; \
    time_server.simple = true;

#define PER_VM_VIRTUAL_SERIAL_CONFIGURATION_DEF(num) \
    vm##num.serial_getchar_shmem_size = 0x1000; \
    vm##num.batch_shmem_size = 0x1000;

/* UNCONFIRMED: whether this also expands the general part; the reference lists it
 * next to VM_VIRTUAL_SERIAL_GENERAL_CONFIGURATION_DEF() without saying. Modelled as
 * the per-VM part for each id, mirroring VM_VIRTUAL_SERIAL_COMPOSITION_DEF. */
#define VM_VIRTUAL_SERIAL_CONFIGURATION_DEF(vm_ids...) \
    __CALL(PER_VM_VIRTUAL_SERIAL_CONFIGURATION_DEF, vm_ids)
