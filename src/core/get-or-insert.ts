// Map.getOrInsertComputed (a TC39 proposal Node 22 lacks): the value at `key`, created on first use.

export function getOrInsert<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
