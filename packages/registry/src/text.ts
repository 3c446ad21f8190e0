/**
 * Text that comes from a registry (error messages, tag names, media types, URLs it redirects to)
 * made safe to print: control characters escaped, long text cut, credentials in URLs removed.
 * Pure.
 *
 * @since 0.1.0
 */
import { visible } from '@imgcfg/core/errors'

/** A registry's words are cut to this many characters at most. */
export const MAX_SAID = 160

/**
 * Registry text as one short, visible sentence: control characters escaped, cut at the end of
 * its first sentence (or at `max` characters) with `…` when something was left out.
 *
 * @example
 * said('manifest unknown. See https://docs… for details') // 'manifest unknown…'
 */
export const said = (text: string, max = MAX_SAID): string => {
  const flat = String(text).trim()
  const end = /[.!?](\s|$)/.exec(flat)
  let cut = end !== null && end.index + 1 < flat.length ? flat.slice(0, end.index) : flat.replace(/[.!?]$/, '')
  if (cut.length > max) cut = cut.slice(0, max).replace(/\s+\S*$/, '') || cut.slice(0, max)
  const shortened = cut.length < flat.replace(/[.!?]$/, '').length
  return `${visible(cut)}${shortened ? '…' : ''}`
}

/**
 * A URL without its userinfo (`https://user:pw@host/x` → `https://host/x`), made visible and
 * shortened, for messages. What is not a URL is only made visible and shortened.
 *
 * @example
 * redactUrl('https://me:secret@auth.example/token') // 'https://auth.example/token'
 */
export const redactUrl = (url: string): string => {
  let out = String(url)
  try {
    const parsed = new URL(out)
    if (parsed.username !== '' || parsed.password !== '') {
      parsed.username = ''
      parsed.password = ''
      out = parsed.href
    }
  } catch {
    // Not a URL: cut anything that looks like userinfo before an `@`.
    out = out.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
  }
  return visible(out.length <= 300 ? out : `${out.slice(0, 300)}…`)
}

/** A string from outside, for a message: visible and at most `max` characters (with `…`). */
export const shortVisible = (s: string, max = 80): string => visible(s.length <= max ? s : `${s.slice(0, max)}…`)
