// Prepared statements built once per connection: `const stmts = perConnection((db) => ({ … }))`
// then `stmts(db).insert.run(…)`. Preparing is the costly part of a small write.

import type { Db } from "./open.js";

export function perConnection<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = build(db);
      cache.set(db, value);
    }
    return value;
  };
}
