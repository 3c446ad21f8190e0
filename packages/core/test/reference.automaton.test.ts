import { describe, expect, it } from 'vitest'
import * as fc from 'fast-check'
import {
  MATCH,
  Noted,
  State,
  matchDomain,
  matchPath,
  matchTag,
  transitions,
} from '../src/internal/reference/automaton.js'

const STATE_COUNT = State.PathDash + 1
const row = (state: State): ReadonlyArray<number> => Array.from(transitions().subarray(state << 7, (state + 1) << 7))

describe('the state order the scanning loops rely on', () => {
  it('each noted state leads to the state Noted.Shift places on', () => {
    expect([
      State.DomainSlash + Noted.Shift,
      State.TagColon + Noted.Shift,
      State.FirstColon + Noted.Shift,
      State.PortColon + Noted.Shift,
    ]).toStrictEqual([State.PathDue, State.TagDue, State.AfterFirstColon, State.AfterPortColon])
  })

  it('the states a scan ends in or notes are never read from: their rows lead nowhere', () => {
    for (let s = State.Dead; s <= State.PortColon; s++) expect(new Set(row(s)), `state ${s}`).toStrictEqual(new Set([State.Dead]))
  })

  it('every transition leads to a state that exists', () => {
    expect(transitions().length).toBe(STATE_COUNT << 7)
    expect(transitions().every((to) => to < STATE_COUNT)).toBe(true)
  })
})

/** Go's regular expressions for the parts, as distribution/reference writes them. */
const GO_DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/
const GO_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/
const GO_TAG = /^[\w][\w.-]{0,127}$/

/** Strings over the characters the parts are made of, plus a few that end or break them. */
const nearly = (alphabet: string, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...alphabet), maxLength })
const ALPHABET = 'aZ09f-._/:[]@A\u212a'

describe('each part agrees with its Go regular expression', () => {
  it.each([
    ['matchDomain', matchDomain, GO_DOMAIN, ALPHABET, 20],
    ['matchPath', matchPath, GO_PATH, ALPHABET, 20],
    // mostly tag characters, so the 128-character limit is reached
    ['matchTag', matchTag, GO_TAG, 'aZ9_.-_a9Z-:', 140],
  ] as const)('%s', (_, match, regex, alphabet, maxLength) => {
    fc.assert(
      fc.property(nearly(alphabet, maxLength), (s) => {
        expect(match(s, 0, s.length) === MATCH).toBe(regex.test(s))
      }),
      { numRuns: 3000 },
    )
  })
})
