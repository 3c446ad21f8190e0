// TypeDoc plugin: names each module of docs/api by its import specifier (`@imgcfg/core/Image`)
// rather than by its path in this repository (`core/src/Image`).
import { Converter, ReflectionKind } from 'typedoc'

const SPECIFIERS = {
  'core/src': '@imgcfg/core',
  'config-file/src': '@imgcfg/config-file',
  'config-file/src/browser': '@imgcfg/config-file/text',
  'config-file/src/fs': '@imgcfg/config-file/fs',
  'registry/src': '@imgcfg/registry',
}

/** @param {import('typedoc').Application} app */
export const load = (app) => {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      module.name = SPECIFIERS[module.name] ?? module.name.replace(/^core\/src\//, '@imgcfg/core/')
    }
  })
}
