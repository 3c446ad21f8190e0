/**
 * The effects the CLI needs, passed in so `run` stays testable: tests hand it in-memory writers,
 * a fixed environment and a fake python3.
 *
 * @since 0.1.0
 */
import type { FileSystem } from '@imgcfg/config-file/fs'

/** Where text goes: stdout or stderr. `isTTY` decides the default format and colour. */
export interface Writer {
  write(text: string): void
  readonly isTTY?: boolean
  /** A terminal's width in columns, when it is one. */
  readonly columns?: number
}

/** What the `python3` on PATH reports (flytekit resolves the default image from its own interpreter). */
export interface PythonProbe {
  /** `major.minor`, e.g. `3.11`. */
  readonly pythonVersion: string
  /** The installed flytekit distribution's version, when there is one. */
  readonly flytekitVersion?: string
}

/**
 * Everything `run` may touch.
 *
 * @since 0.1.0
 */
export interface Capabilities {
  readonly stdout: Writer
  readonly stderr: Writer
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  readonly home: string
  /** The whole of standard input, for `-c -`; reading may stop once more than `maxBytes` arrived. */
  readonly readStdin: (maxBytes?: number) => Promise<string>
  /** Every file a command reads or writes goes through this (`nodeFileSystem` in the real CLI). */
  readonly fs: FileSystem
  /** Asks the `python3` on PATH; `undefined` when there is none or it fails. */
  readonly probePython: () => Promise<PythonProbe | undefined>
}
