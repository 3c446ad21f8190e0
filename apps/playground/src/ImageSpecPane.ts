/**
 * The ImageSpec pane: a box for an ImageSpec YAML file and, under it, the image flytekit builds
 * for it (name, tag, id) and the exact text it hashes, or the problem at its line. The answer
 * comes from `imageSpecAnswer` (config-file and core); this file only draws it.
 */
import { imageSpecAnswer, SPEC_FILE } from './ImageSpec.js'

const EXAMPLE = `name: flytekit-train
registry: ghcr.io/mycorp
python_version: "3.11"
packages:
  - torch==2.5.1
  - pandas>=2.2
`

const element = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, string>> = {},
  ...children: ReadonlyArray<Node | string>
): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value)
  node.append(...children)
  return node
}

/** One row of the answer: a term and a value that wraps only after `/`, `:` or `@`. */
const row = (term: string, value: string, id: string): ReadonlyArray<HTMLElement> => [
  element('dt', {}, term),
  element('dd', {}, element('code', { id, class: 'reference' }, ...breakAfterSeparators(value))),
]

const breakAfterSeparators = (value: string): ReadonlyArray<Node | string> =>
  value.split(/(?<=[/:@])/).flatMap((part, i) => (i === 0 ? [part] : [document.createElement('wbr'), part]))

/** The pane, for main.ts's `panes`: it owns its input and redraws when it changes. */
export const imageSpecPane = {
  id: 'imagespec',
  mount(slot: HTMLElement): void {
    const input = element('textarea', {
      id: 'imagespec-input',
      rows: '7',
      spellcheck: 'false',
      autocapitalize: 'off',
      'aria-describedby': 'imagespec-help',
    })
    input.value = EXAMPLE
    const result = element('div', { id: 'imagespec-result' })
    const draw = (): void => {
      const answer = imageSpecAnswer(input.value)
      input.removeAttribute('aria-invalid')
      if (answer === undefined) {
        result.replaceChildren(element('p', { class: 'muted' }, 'Paste an ImageSpec file to see the image flytekit builds for it.'))
      } else if (answer.ok) {
        result.replaceChildren(
          element(
            'dl',
            { class: 'imagespec-answer' },
            ...row('Image', answer.imageName, 'imagespec-image'),
            ...row('Tag', answer.tag, 'imagespec-tag'),
            ...row('ID', answer.id, 'imagespec-id'),
          ),
          element('p', {}, 'What flytekit hashes (MD5, URL-safe base64) for the tag:'),
          element('pre', { id: 'imagespec-hashed', tabindex: '0', 'aria-label': 'What flytekit hashes' }, answer.hashed),
        )
      } else {
        input.setAttribute('aria-invalid', 'true')
        result.replaceChildren(element('p', { id: 'imagespec-error', class: 'problem' }, answer.message))
      }
    }
    input.addEventListener('input', draw)
    slot.append(
      element(
        'section',
        { id: 'imagespec', class: 'pane', 'aria-labelledby': 'imagespec-heading' },
        element('h3', { id: 'imagespec-heading' }, 'ImageSpec file'),
        element(
          'p',
          { id: 'imagespec-help' },
          `An ImageSpec YAML file, as pyflyte run --image ${SPEC_FILE} reads it: the image flytekit builds for it, computed as flytekit 1.15.4 does. Files it names (requirements, copy) are read by the command line, not by this page.`,
        ),
        element('label', { for: 'imagespec-input' }, SPEC_FILE),
        input,
        result,
      ),
    )
    draw()
  },
  render(): void {
    // Independent of the resolution: the pane redraws on its own input.
  },
}
