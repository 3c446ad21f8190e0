/** Help text: every command's, from the table run dispatches on, fits an 80-column terminal. */
import { describe, expect, it } from 'vitest'
import { COMMANDS, GLOBAL } from '../src/help.js'
import { COMMAND_NAMES } from '../src/run.js'
import { runInProcess } from './support.js'

const WIDTH = 80

/** The lines wider than the terminal, with their width (in code points: the text is ASCII and '…'). */
const tooWide = (text: string): ReadonlyArray<string> =>
  text.split('\n').flatMap((line) => ([...line].length > WIDTH ? [`${[...line].length}: ${line}`] : []))

describe('help fits 80 columns', () => {
  it('the command table is the one run dispatches on, and every command has help', () => {
    expect(COMMAND_NAMES.length).toBeGreaterThanOrEqual(10)
    expect([...COMMAND_NAMES].sort()).toEqual(Object.keys(COMMANDS).sort())
    for (const name of COMMAND_NAMES) expect(GLOBAL).toMatch(new RegExp(`^  ${name}\\b`, 'm'))
  })

  it.each([['--help'], ['-h'], ['help']])('imgcfg %s', async (flag) => {
    const r = await runInProcess([flag])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Usage: imgcfg <command>')
    expect(tooWide(r.stdout)).toEqual([])
  })

  it('imgcfg with no command (the help on stderr)', async () => {
    const r = await runInProcess([])
    expect(r.code).toBe(2)
    expect(tooWide(r.stderr)).toEqual([])
  })

  it.each(COMMAND_NAMES.map((name) => [name, name]))('imgcfg %s --help, and imgcfg help %s', async (name) => {
    const [long, help] = await Promise.all([runInProcess([name, '--help']), runInProcess(['help', name])])
    expect([long.code, help.code]).toEqual([0, 0])
    expect(long.stdout).toContain(`Usage: imgcfg ${name}`)
    expect(help.stdout).toBe(long.stdout)
    expect(tooWide(long.stdout)).toEqual([])
  })
})
