/**
 * The deterministic automaton that reads a reference's name and tag: one table look-up per
 * character, no backtracking, nothing allocated, so every scan is linear in its input. Valid
 * references are read in one pass by `scanValid` (`scan.ts`); `matchDomain`, `matchPath` and
 * `matchTag` run parts of the same automaton for `scanReference`, which explains invalid ones.
 *
 * The grammar it reads (distribution/reference):
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [ domain "/" ] component ( "/" component )*
 *   domain    := host [ ":" port ],  host := label ( "." label )* | "[" ipv6 "]"
 *   component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 *   tag       := [A-Za-z0-9_] [A-Za-z0-9_.-]{0,127}
 * The first component, before any '/', may be a domain or a path component; which one is known
 * only once it is over, so the automaton reads both at once until one is ruled out.
 */
import { maxTagLength } from './constants.js'

// -------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------

/** What the automaton tells apart in a character; nothing from code 128 up is read. */
export const enum CharClass {
  Other,
  Dot,
  Underscore,
  Dash,
  Slash,
  Colon,
  At,
  LBracket,
  RBracket,
  /** `a-f` */
  LowerHex,
  /** `g-z` */
  LowerRest,
  Digit,
  /** `A-F` */
  UpperHex,
  /** `G-Z` */
  UpperRest,
}

/** A scan that reaches a noted state records where, then carries on from the state `Noted.Shift` places on. */
export const enum Noted {
  Shift = 4,
}

/**
 * The automaton's states, in an order the scanning loops rely on: first the three that end a
 * scan, then the four noted ones, then the rest.
 */
export const enum State {
  // -- a scan ends here --
  /** No reading accepts the character just read. */
  Dead,
  /** '@' read, no tag before it: the digest starts after it. */
  DigestAt,
  /** '@' read after a tag. */
  TaggedDigestAt,

  // -- noted, then left for the state Noted.Shift on --
  /** The '/' after a domain. */
  DomainSlash,
  /** The ':' before a tag. */
  TagColon,
  /** A ':' within the first component, which may still be a path component (then a tag follows). */
  FirstColon,
  /** A ':' after a domain that can only be a domain: a port follows. */
  PortColon,

  // -- where the noted states lead --
  /** A path component is due. */
  PathDue = DomainSlash + Noted.Shift,
  /** A tag's first character is due. */
  TagDue = TagColon + Noted.Shift,
  /** After `FirstColon`, nothing yet: a port or a tag. */
  AfterFirstColon = FirstColon + Noted.Shift,
  /** After `PortColon`, nothing yet. */
  AfterPortColon = PortColon + Noted.Shift,

  // -- starts --
  /** A reference's first character is due. */
  Start,
  /** A domain's first character is due (`matchDomain` starts here). */
  DomainStart,

  // -- the first component: still a domain or a path component --
  /** After an alphanumeric. */
  FirstAlnum,
  /** After '.'. */
  FirstDot,
  /** After '-'. */
  FirstDash,

  // -- a domain only (a label with an uppercase letter, or after a domain's ':') --
  /** A label is due, after '.'. */
  LabelDue,
  /** After an alphanumeric. */
  Label,
  /** After '-'. */
  LabelDash,

  // -- after a ':' in the first component --
  /** Digits only: a port or a tag (a following '/' decides). */
  PortOrTagDigits,
  /** Digits of a port. */
  PortDigits,

  // -- an IPv6 host --
  /** After '['. */
  Ipv6Open,
  /** Within the brackets. */
  Ipv6,
  /** After ']'. */
  Ipv6Closed,

  // -- a tag --
  /** Within a tag. */
  Tag,

  // -- path components --
  /** After an alphanumeric. */
  PathAlnum,
  /** After '.' or '__'. */
  PathSeparator,
  /** After one '_'. */
  PathUnderscore,
  /** After '-'. */
  PathDash,
}

/** How many states there are. */
const STATES = State.PathDash + 1

// -------------------------------------------------------------------------------------
// the transitions
// -------------------------------------------------------------------------------------

const LOWER_ALNUM = [CharClass.LowerHex, CharClass.LowerRest, CharClass.Digit]
const UPPER = [CharClass.UpperHex, CharClass.UpperRest]
const ALNUM = [...LOWER_ALNUM, ...UPPER]
const LETTERS = [CharClass.LowerHex, CharClass.LowerRest, ...UPPER]
const HEX = [CharClass.LowerHex, CharClass.Digit, CharClass.UpperHex]
/** From the start, and within a first component that may still be a domain or a path component. */
const EITHER = [State.Start, State.FirstAlnum, State.FirstDot, State.FirstDash]

/**
 * From any state of `from`, a character of one of the classes `on` leads to `to`; every
 * transition not listed leads to `Dead`.
 */
type Rule = readonly [from: ReadonlyArray<State>, on: ReadonlyArray<CharClass>, to: State]

const RULES: ReadonlyArray<Rule> = [
  // the first component
  [EITHER, LOWER_ALNUM, State.FirstAlnum],
  [[State.FirstAlnum], [CharClass.Dot], State.FirstDot],
  [[State.FirstAlnum, State.FirstDash], [CharClass.Dash], State.FirstDash],
  [[State.FirstAlnum], [CharClass.Colon], State.FirstColon],
  // '_' is no host character: the first component is a path component
  [[State.FirstAlnum, State.PathAlnum], [CharClass.Underscore], State.PathUnderscore],
  [[State.FirstAlnum, State.PathAlnum], [CharClass.At], State.DigestAt],

  // a domain: an uppercase letter rules out a path component
  [EITHER, UPPER, State.Label],
  [[State.DomainStart, State.LabelDue, State.Label, State.LabelDash], ALNUM, State.Label],
  [[State.Label], [CharClass.Dot], State.LabelDue],
  [[State.Label, State.LabelDash], [CharClass.Dash], State.LabelDash],
  [[State.Label, State.Ipv6Closed], [CharClass.Colon], State.PortColon],
  [[State.Start, State.DomainStart], [CharClass.LBracket], State.Ipv6Open],
  [[State.Ipv6Open, State.Ipv6], [CharClass.Colon, ...HEX], State.Ipv6],
  [[State.Ipv6], [CharClass.RBracket], State.Ipv6Closed],
  [
    [State.FirstAlnum, State.Label, State.PortOrTagDigits, State.PortDigits, State.Ipv6Closed],
    [CharClass.Slash],
    State.DomainSlash,
  ],

  // after a ':': a port, a tag, or digits that may be either
  [[State.AfterFirstColon, State.PortOrTagDigits], [CharClass.Digit], State.PortOrTagDigits],
  [[State.AfterPortColon, State.PortDigits], [CharClass.Digit], State.PortDigits],
  [[State.AfterFirstColon], [CharClass.Underscore, ...LETTERS], State.Tag],
  [[State.PortOrTagDigits], [CharClass.Dot, CharClass.Underscore, CharClass.Dash, ...LETTERS], State.Tag],
  [[State.TagDue], [CharClass.Underscore, ...ALNUM], State.Tag],
  [[State.Tag], [CharClass.Dot, CharClass.Underscore, CharClass.Dash, ...ALNUM], State.Tag],
  [[State.PortOrTagDigits, State.Tag], [CharClass.At], State.TaggedDigestAt],

  // path components
  [
    [State.PathDue, State.PathAlnum, State.PathSeparator, State.PathUnderscore, State.PathDash],
    LOWER_ALNUM,
    State.PathAlnum,
  ],
  [[State.PathAlnum], [CharClass.Slash], State.PathDue],
  [[State.PathAlnum], [CharClass.Dot], State.PathSeparator],
  [[State.PathUnderscore], [CharClass.Underscore], State.PathSeparator],
  [[State.PathAlnum, State.PathDash], [CharClass.Dash], State.PathDash],
  [[State.PathAlnum], [CharClass.Colon], State.TagColon],
]

/** The first and last character of each class, from `Dot` to `UpperRest` in their order. */
const CLASS_RANGES = '..__--//::@@[[]]afgz09AFGZ'

/** `TABLE[state << 7 | c]` is the state after the ASCII character `c`; built on first use. */
let TABLE: Uint8Array | undefined

/** The transition table, indexed by `state << 7 | c` for an ASCII character `c`. */
export const transitions = (): Uint8Array => {
  if (TABLE !== undefined) return TABLE
  const table = new Uint8Array(STATES << 7)
  for (const [from, on, to] of RULES) {
    for (const charClass of on) {
      const first = CLASS_RANGES.charCodeAt(2 * charClass - 2)
      const last = CLASS_RANGES.charCodeAt(2 * charClass - 1)
      for (const state of from) table.fill(to, (state << 7) | first, ((state << 7) | last) + 1)
    }
  }
  return (TABLE = table)
}

// -------------------------------------------------------------------------------------
// where a scan may end
// -------------------------------------------------------------------------------------

const REFERENCE_END = (1 << State.FirstAlnum) | (1 << State.PortOrTagDigits) | (1 << State.Tag) | (1 << State.PathAlnum)
const TAGGED = (1 << State.TaggedDigestAt) | (1 << State.PortOrTagDigits) | (1 << State.Tag)
const DOMAIN_END = (1 << State.Label) | (1 << State.PortDigits) | (1 << State.Ipv6Closed)
const PATH_END = 1 << State.PathAlnum
const TAG_END = 1 << State.Tag

/**
 * Whether a name and tag read from `Start` may end in `state`: a one-component name
 * (`FirstAlnum`), a tag (`PortOrTagDigits` for one of digits only, `Tag`) or a path.
 */
export const endsReference = (state: State): boolean => ((REFERENCE_END >> state) & 1) !== 0

/** Whether a scan from `Start` that ended in `state` read a tag. */
export const readTag = (state: State): boolean => ((TAGGED >> state) & 1) !== 0

// -------------------------------------------------------------------------------------
// matching parts
// -------------------------------------------------------------------------------------

/** What the `match*` functions return when all of `s[start, end)` matches. */
export const MATCH = -1

/** The state the last `run` stopped in. */
let stopped: State = State.Dead

/**
 * Reads `s[start, end)` from `state`; the offset of the character it stopped at (one no reading
 * accepts, or '@'), else `end`; the state it stopped in is `stopped`. It notes the noted states
 * in `head` as it passes them (only `readHead` reads those notes).
 */
const run = (s: string, start: number, end: number, state: State): number => {
  const table = transitions()
  let i = start
  for (; i < end; i++) {
    const c = s.charCodeAt(i)
    state = c < 128 ? table[(state << 7) | c]! : State.Dead
    if (state <= State.PortColon) {
      if (state <= State.TaggedDigestAt) break
      if (state === State.DomainSlash) head.pathStart = i + 1
      else head.colon = i
      state += Noted.Shift
    }
  }
  stopped = state
  return i
}

/** MATCH if all of `s[start, end)` read from `state` ends in one of the states of `accepting`; else the offset of the fault. */
const matchFrom = (s: string, start: number, end: number, state: State, accepting: number): number => {
  const i = run(s, start, end, state)
  return i === end && ((accepting >> stopped) & 1) !== 0 ? MATCH : i
}

/**
 * `host(:[0-9]+)?`, where host is `\[[a-fA-F0-9:]+\]` or dot-separated labels
 * `[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?`.
 */
export const matchDomain = (s: string, start: number, end: number): number =>
  matchFrom(s, start, end, State.DomainStart, DOMAIN_END)

/** Components `[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*` separated by `/`. */
export const matchPath = (s: string, start: number, end: number): number =>
  matchFrom(s, start, end, State.PathDue, PATH_END)

/** `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`. */
export const matchTag = (s: string, start: number, end: number): number => {
  const m = matchFrom(s, start, end, State.TagDue, TAG_END)
  return m === MATCH && end - start > maxTagLength ? start + maxTagLength : m
}

// -------------------------------------------------------------------------------------
// a valid reference's name and tag, in one pass
// -------------------------------------------------------------------------------------

/**
 * What the last `readHead` noted. One record, reused, so a scan allocates nothing; and the
 * states stay in this module, where they are inlined constants (a module that reads `State.X`
 * from another one would make every bundle carry the enum as an object).
 */
export const head = {
  /** The path starts here: after the domain's '/', else 0. */
  pathStart: 0,
  /** The last ':' outside a port, or -1. */
  colon: -1,
  /** Whether a tag was read (it starts after `colon`). */
  tagged: false,
}

/**
 * Reads the name and tag of `s` from `Start`, noting in `head` where the domain's '/' and the
 * last ':' outside a port are; the offset of the '@' that ends them, or `s.length`, or -1 when
 * no reference starts so.
 */
export const readHead = (s: string): number => {
  head.pathStart = 0
  head.colon = -1
  const i = run(s, 0, s.length, State.Start)
  // stopped at '@' (DigestAt, TaggedDigestAt), on a fault (Dead), or at the end
  if (i < s.length ? stopped === State.Dead : !endsReference(stopped)) return -1
  head.tagged = readTag(stopped)
  return i
}
