/**
 * Finding a repeated name among the entries of a config file as they are read (the options of an
 * INI section, the images of a YAML file), in time linear in their number whatever the names.
 *
 * A `Set` would do up to a few thousand names, but one of more than 4 096 entries has a backing
 * store too big for V8's young generation, allocated afresh in its large-object space on every
 * read: `bench/src/names.mjs` (`pnpm bench`) measures a `Set` at about 3 times the cost of this
 * table for 10 000 names, close to half of a whole load of the file, while with 1 000 names or
 * fewer the table costs a few per cent of a load more than a `Set`. A `NameTable` is a
 * hash table of entry indexes in one `Int32Array`, kept from read to read: a name is compared
 * with the names of the entries found at its hash. The hash is seeded once per process, and a
 * name that probes more than `MAX_PROBES` slots (a flood of colliding names) hands the rest of
 * the read over to a `Set`.
 *
 * @internal
 */

const MAX_PROBES = 32
/** Bigger tables are dropped by `release` rather than kept for the next read. */
const KEEP_SLOTS = 1 << 16
const SEED = (Math.random() * 0x1_0000_0000) | 0

const hash = (name: string): number => {
  let h = SEED
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193)
  // the low bits index the table: fold the high ones in
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  return h ^ (h >>> 13)
}

/** The names of entries 0, 1, 2, … of a list, added in that order. */
export class NameTable {
  /** Each slot holds an entry index + 1, or 0; `size` of them (a power of two) are in use. */
  private slots = new Int32Array(16)
  private size = 16
  /** The hash of each entry's name, so growing the table does not hash the names again. */
  private hashes = new Int32Array(16)
  /** Names added so far: those of entries 0 to count - 1. */
  private count = 0
  private fallback: Set<string> | undefined

  /** Starts a new list. */
  clear(): void {
    this.size = 16
    this.count = 0
    this.fallback = undefined
    this.slots.fill(0, 0, this.size)
  }

  /** The read is over: drops what is too big to keep. */
  release(): void {
    this.fallback = undefined
    if (this.slots.length > KEEP_SLOTS) this.slots = new Int32Array(16)
    if (this.hashes.length > KEEP_SLOTS) this.hashes = new Int32Array(16)
  }

  /**
   * Whether `name` is new: adds it as the name of the next entry, `entries[count]`. `entries`
   * holds the entries so far; the new one is pushed after, if its name is new.
   */
  add(entries: ReadonlyArray<{ readonly name: string }>, name: string): boolean {
    let set = this.fallback
    if (set === undefined) {
      const h = hash(name)
      if (this.count === this.hashes.length) {
        const more = new Int32Array(2 * this.count)
        more.set(this.hashes)
        this.hashes = more
      }
      this.hashes[this.count] = h
      // at most half full
      const placed = 2 * (this.count + 1) > this.size && !this.grow(entries) ? -1 : this.place(entries, this.count, name, h)
      if (placed === 0) return false
      if (placed === 1) {
        this.count += 1
        return true
      }
      set = this.toSet(entries)
    }
    const known = set.size
    if (set.add(name).size === known) return false
    this.count += 1
    return true
  }

  /** Places entry `index` (hash `h`) unless an entry placed has that name: 1 placed, 0 found, -1 too many probes. */
  private place(entries: ReadonlyArray<{ readonly name: string }>, index: number, name: string, h: number): number {
    const mask = this.size - 1
    let slot = h & mask
    for (let probes = 0; probes < MAX_PROBES; probes++) {
      const held = this.slots[slot]!
      if (held === 0) {
        this.slots[slot] = index + 1
        return 1
      }
      if (this.hashes[held - 1] === h && entries[held - 1]!.name === name) return 0
      slot = (slot + 1) & mask
    }
    return -1
  }

  /** Twice the slots, every name placed again; false after too many probes. */
  private grow(entries: ReadonlyArray<{ readonly name: string }>): boolean {
    this.size *= 2
    if (this.size > this.slots.length) this.slots = new Int32Array(this.size)
    else this.slots.fill(0, 0, this.size)
    for (let i = 0; i < this.count; i++) {
      if (this.place(entries, i, entries[i]!.name, this.hashes[i]!) < 0) return false
    }
    return true
  }

  private toSet(entries: ReadonlyArray<{ readonly name: string }>): Set<string> {
    const set = new Set<string>()
    for (let i = 0; i < this.count; i++) set.add(entries[i]!.name)
    return (this.fallback = set)
  }
}
