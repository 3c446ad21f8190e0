/**
 * @imgcfg/config-file/fs: the file-system capability alone (`FileSystem`, `nodeFileSystem`,
 * `memoryFileSystem`), without the parsers, for a front end that hands it to the loaders and
 * wants to load nothing else at start. Node only (`memoryFileSystem` is also in `./text`).
 *
 * @since 0.2.0
 */
export { memoryFileSystem, type DirectoryListing, type EntryKind, type FileSystem, type WalkFailure } from './FileSystem.js'
export { MAX_CONFIG_BYTES } from './limits.js'
export { nodeFileSystem, readConfigText, writeAtomically } from './nodeFileSystem.js'
