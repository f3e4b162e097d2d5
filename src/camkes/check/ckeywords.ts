/**
 * Names that methods, parameters, attributes and settings may not take (upstream
 * camkes/ast/ckeywords.py: "C89-C11 keywords plus GCC/Clang extensions", reference A.2).
 * The C89/C99/C11 keywords are the standards' lists; of the extensions the reference names
 * `asm`, `typeof`, `__attribute__` and `wchar_t`. UNCONFIRMED: the remaining GCC spellings
 * below (the double-underscore alternates) are our reading of "GCC/Clang extensions".
 * CAmkES keywords among them (`int`, `char`, `in`, ...) never reach this check: the lexer
 * already refuses them as names.
 */
export const C_KEYWORDS: ReadonlySet<string> = new Set([
  // C89
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum',
  'extern', 'float', 'for', 'goto', 'if', 'int', 'long', 'register', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while',
  // C99
  'inline', 'restrict', '_Bool', '_Complex', '_Imaginary',
  // C11
  '_Alignas', '_Alignof', '_Atomic', '_Generic', '_Noreturn', '_Static_assert', '_Thread_local',
  // extensions
  'asm', 'typeof', '__attribute__', 'wchar_t',
  '__asm', '__asm__', '__typeof', '__typeof__', '__inline', '__inline__', '__volatile', '__volatile__',
  '__restrict', '__restrict__', '__const', '__const__', '__signed', '__signed__', '__extension__',
  '__alignof', '__alignof__', '__label__', '__thread', '__builtin_va_list', '__int128',
]);
