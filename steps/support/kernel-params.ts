import { defineParameterType } from '@cucumber/cucumber';

// A machine word as the kernel features write it: hex (0x3) or decimal (42).
defineParameterType({ name: 'kword', regexp: /0x[0-9a-fA-F]+|\d+/, transformer: (s: string) => Number(s) });

// An seL4 error name or seL4_NoError.
defineParameterType({ name: 'sel4Result', regexp: /seL4_[A-Za-z]+/, transformer: (s: string) => s });

// A hexadecimal literal as the reference writes addresses, ids and offsets (0x1af4, 0xDF000000).
defineParameterType({ name: 'hex', regexp: /0x[0-9a-fA-F]+/, transformer: (s: string) => Number(s) });
