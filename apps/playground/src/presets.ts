/** Example inputs, one click away. The first one is what an empty link opens. */
import { empty, type State } from './State.js'

export interface Preset {
  readonly id: string
  readonly label: string
  readonly state: State
}

/** flytekit's own test file, tests/flytekit/unit/configuration/configs/sample.yaml. */
const SAMPLE_YAML = `admin:
  # For GRPC endpoints you might want to use dns:///flyte.myexample.com
  endpoint: dns:///flyte.mycorp.io
  authType: Pkce
  insecure: true
  clientId: propeller
  scopes:
    - all
storage:
  connection:
    access-key: minio
    endpoint: http://localhost:30084
    secret-key: miniostorage
images:
  xyz: docker.io/xyz:latest
  abc: docker.io/abc
  bcd: docker.io/bcd@sha256:26c68657ccce2cb0a31b330cb0hu3b5e108d467f641c62e13ab40cbec258c68d
`

const LEGACY_INI = `# A legacy flytekit.config, read as Python's configparser reads it.
# [DEFAULT] options appear in every section, so "registry" is an image too.
[DEFAULT]
registry = ghcr.io/acme

[platform]
url = flyte.acme.internal
insecure = False

[images]
base = %(registry)s/base:py3.11-2024.06
# option names are lowercased: this image is "spark"
Spark = %(registry)s/spark:3.5.1
notebook: %(registry)s/notebook
`

const PINNED_YAML = `# Every image pinned by digest: the digest fixes the content, a tag is only a label
# (and is dropped when both are written).
images:
  trainer: ghcr.io/acme/trainer@sha256:06ea17a8981d25b0315ff17bd1ebad3d95c15a3f8b764eaadb93612d9b61a54e
  serving: ghcr.io/acme/serving:2.3@sha256:4dc69fae4535aa426358a0dd29491a18a2486818a0ebf4c1d80149884f000bfa
`

export const presets: ReadonlyArray<Preset> = [
  {
    id: 'sample',
    label: "flytekit's sample.yaml",
    state: { ...empty, config: SAMPLE_YAML, flags: ['gpu=ghcr.io/acme/gpu:1.2'], flytekitVersion: '1.15.0' },
  },
  {
    id: 'ini',
    label: 'INI with [DEFAULT]',
    state: {
      ...empty,
      config: LEGACY_INI,
      flags: ['spark=ghcr.io/acme/spark:3.5.2'],
      pythonVersion: '3.11',
      flytekitVersion: '1.14.0',
    },
  },
  {
    id: 'pinned',
    label: 'Digest-pinned',
    state: {
      ...empty,
      config: PINNED_YAML,
      flags: [
        'ghcr.io/acme/base@sha256:cae662172fd450bb0cd710a769079c05bfc5d8e35efa6576edc7d0377afdd4a2',
        'gpu=ghcr.io/acme/gpu@sha256:e3c5ba51dba85ab0c990db5e309f4d7bdb282470fb02aee75b9022c1399e91c8',
      ],
      strict: true,
    },
  },
  { id: 'empty', label: 'Start empty', state: { ...empty, flags: [''] } },
]
