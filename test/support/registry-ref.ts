import { parseRegistryRef, type RegistryRef } from '../../src/core/registry-ref.js';

/** A registry reference from text a test knows is valid. */
export function refOf(text: string): RegistryRef {
  const ref = parseRegistryRef(text);
  if (!ref) throw new Error(`not a registry reference: ${text}`);
  return ref;
}
