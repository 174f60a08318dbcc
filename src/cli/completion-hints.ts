// What the shell completion offers for an option's or an argument's value, where commander's own
// description of it (choices, the "a | b | c" help convention, `-p`) does not say: declared beside
// the option or argument itself, and read by `lore completion` when it walks the command tree.

export type ValueSource =
  /** A fixed list. */
  | { readonly kind: "words"; readonly words: readonly string[] }
  /** The configured projects, read from the config when completing. */
  | { readonly kind: "projects" }
  | { readonly kind: "files" }
  /** Dotted config keys (`lore config get|set|unset`). */
  | { readonly kind: "config-keys" }
  /** The values the config key before it takes, where they are a fixed list. */
  | { readonly kind: "config-values" }
  /** Anything the user types: nothing to offer. */
  | { readonly kind: "text" };

const hints = new WeakMap<object, ValueSource>();

/** Declares what `target` (a commander Option or Argument) completes to; returns it for chaining. */
export function completeWith<T extends object>(target: T, source: ValueSource): T {
  hints.set(target, source);
  return target;
}

export function completionHint(target: object): ValueSource | undefined {
  return hints.get(target);
}
