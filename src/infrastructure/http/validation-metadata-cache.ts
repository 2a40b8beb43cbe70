import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

/**
 * class-validator looks a class's rules up on every validation by scanning the metadata of every
 * decorated class (an `instanceof` per class, for inherited rules): with the platform's ~200 DTOs
 * that was a tenth of a lesson page's CPU. Rules are declared by decorators when classes load and
 * never change afterwards, so the answer is remembered per class and options, and forgotten
 * whenever a rule is added (a class loaded late). Installed once, by the validation pipe's module.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { bansoCached?: boolean };
  if (marked.bansoCached) return;
  marked.bansoCached = true;
  const lookup: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  let cache = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  storage.addValidationMetadata = (metadata) => {
    cache = new Map();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups?.join('\u0001') ?? ''}`;
    let byOptions = cache.get(target);
    if (!byOptions) cache.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    // A copy: callers own what they are given.
    return found.slice();
  };
}
