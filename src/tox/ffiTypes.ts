// koffi named types shared by ./ffi.ts and ./ffiGroups.ts. koffi type names are process-global and
// re-registering one throws "Duplicate type name": these are created once, when first asked for,
// and an existing type of the same name is reused (e.g. if a second copy of this module is loaded
// in the same process).
import koffi from 'koffi';
import type { TypeObject } from 'koffi';

function named(name: string, make: () => TypeObject): TypeObject {
  try {
    return koffi.type(name);
  } catch {
    return make();
  }
}

export function opaque(name: string): TypeObject {
  return named(name, () => koffi.opaque(name));
}

export function proto(decl: string): TypeObject {
  const name = /(\w+)\s*\(/.exec(decl)?.[1];
  if (name === undefined) throw new Error(`bad prototype: ${decl}`);
  return named(name, () => koffi.proto(decl));
}

// Registered when this module is first evaluated, before any prototype mentions them. Layouts are
// not part of the ABI (tox.h says so), hence opaque even for struct Tox_Options.
opaque('Tox');
opaque('Tox_Options');
opaque('Tox_Pass_Key');
