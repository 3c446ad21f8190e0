/**
 * The help texts. Plain strings, kept in the entry chunk so `--help` loads nothing else. Every
 * line fits 80 columns (a test walks every command).
 *
 * @since 0.1.0
 */

const IMAGE_OPTIONS = `  -i, --image SPEC           an image: name=identifier, or a bare identifier
                             for the default image (repeatable; tags or
                             digests required, as in pyflyte run)
  -c, --config FILE          config file with images: (flytectl YAML) or
                             [images] (INI); '-' reads stdin; '' uses none.
                             Default: discovered as flytekit does
                             ($_FLYTECTL_CONFIG_PYFLYTE_OVERRIDE,
                             $FLYTECTL_CONFIG, ./flytekit.config,
                             ~/.flyte/config, ~/.flyte/config.yaml)
      --config-format FMT    yaml or ini, instead of guessing from the
                             extension (or, for '-', from the first line)
      --python-version X.Y   Python version of the default image (default:
                             the python3 on PATH, else the newest supported)
      --flytekit-version V   flytekit version of the default image: latest or
                             a PEP 440 version (1.15.4, 1.16.0rc1; default:
                             the flytekit installed for that python3, else
                             latest)
      --strict               identifiers (--image values and the config-file
                             images merged) must also be valid OCI references`

const REGISTRY_OPTIONS = `      --insecure-registry HOST:PORT
                             reach this registry over plain HTTP (repeatable;
                             localhost, 127.0.0.0/8 and [::1] always are)
      --docker-config PATH   the Docker config.json with registry credentials
                             (default: $DOCKER_CONFIG/config.json, else
                             ~/.docker/config.json)
      --timeout T            per request: seconds (10, 2.5s) or milliseconds
                             (500ms), at most an hour; default 10s`

const ENVIRONMENT = `Environment:
  FLYTE_INTERNAL_IMAGE       overrides the default image, as in flytekit
  FLYTECTL_CONFIG, _FLYTECTL_CONFIG_PYFLYTE_OVERRIDE
                             where to find the config file
  NO_COLOR, FORCE_COLOR      turn colour off / on
  IMGCFG_NO_CACHE=1          ask python3 every time (its answer is otherwise
                             cached in ~/.cache/imgcfg until the interpreter
                             or its packages change)`

export const GLOBAL = `imgcfg: which container image will my Flyte tasks get?

Usage: imgcfg <command> [options]

Commands:
  resolve          what \`pyflyte run --image …\` resolves: the default image,
                   the --image values and the config file's images
  find NAME        the full reference of one image of that configuration
  task-image TEMPLATE...
                   the image each task's container_image gets
                   ({{.image.gpu.fqn}}:…), as flytekit resolves it at
                   registration
  image-spec FILE...
                   the image flytekit builds for each ImageSpec file: name,
                   tag and id
  default-image    flytekit's default image for a Python and flytekit version
  parse REF        split an image reference (lenient, --strict or --normalize)
  lint             check a config file: duplicates, invalid references,
                   floating images, an image named default; --tasks checks the
                   Python tasks' image templates
  schema           the JSON Schema of \`resolve --format json\`
  verify           ask the registries whether every image of that
                   configuration exists
  pin -c FILE      rewrite the tagged images of a config file to the digests
                   they point at

Options:
  -h, --help       show help; \`imgcfg <command> --help\` shows its options
      --version    print the version

Examples:
  imgcfg resolve -i ghcr.io/org/app:1.0 -i gpu=ghcr.io/org/gpu:2.1
  imgcfg find gpu -c flytekit.config
  imgcfg task-image '{{.image.gpu.fqn}}:{{.image.gpu.version}}' -c my.config
  imgcfg image-spec imagespec.yaml
  imgcfg default-image --python-version 3.11
  imgcfg parse ghcr.io/org/app:1.0 --strict
  imgcfg lint -c ~/.flyte/config.yaml
  imgcfg schema > image-config.schema.json
  imgcfg verify -c ~/.flyte/config.yaml
  imgcfg pin -c flytekit.config --write

Exit codes: 0 success; 1 the request failed (invalid image, not found, lint
findings, bad config file); 2 usage error (unknown option, missing argument);
3 verify found only ImageSpec images that are not built yet.

${ENVIRONMENT}
`

export const COMMANDS: Readonly<Record<string, string>> = {
  resolve: `Usage: imgcfg resolve [-i SPEC]... [-c FILE] [options]

What \`pyflyte run --image …\` resolves: the --image values are validated, the
default image is filled in when none is given, then the config file's images
whose names are not taken are appended.

Options:
${IMAGE_OPTIONS}
      --format FMT           table, json or yaml (default: table on a
                             terminal, else json). json is
                             ImageConfig.toDict, indented by 2 spaces
  -h, --help                 show this help

Examples:
  imgcfg resolve
  imgcfg resolve -i ghcr.io/org/app:1.0 -i gpu=ghcr.io/org/gpu:2.1
  imgcfg resolve -c config.yaml --python-version 3.10 --format table
  imgcfg resolve -c config.yaml --format json | jq '.images[].name'
  cat flytekit.config | imgcfg resolve -c - --format yaml

${ENVIRONMENT}
`,

  find: `Usage: imgcfg find NAME [-i SPEC]... [-c FILE] [options]

Prints the full reference of the image named NAME in the configuration
\`imgcfg resolve\` gives; fails, listing the names there are, when there is
none. The default image is named default.

Options:
${IMAGE_OPTIONS}
  -h, --help                 show this help

Examples:
  imgcfg find default
  imgcfg find gpu -c flytekit.config
  docker pull "$(imgcfg find gpu -i gpu=ghcr.io/org/gpu:2.1)"

${ENVIRONMENT}
`,

  'task-image': `Usage: imgcfg task-image TEMPLATE... [-i SPEC]... [-c FILE] [options]

Resolves each task container_image TEMPLATE against the configuration
\`imgcfg resolve\` gives, as flytekit does at registration: {{.image.NAME}} is
the image's full reference, {{.image.NAME.fqn}} its name without tag,
{{.image.NAME.version}} its tag or digest (the default image's when it has
none). .images. works too and may be written in any case; NAME and the
attribute are case-sensitive. A template without placeholders is used as it
is. Exits 1, with the template and the offset, when a placeholder names an
image the configuration lacks or an attribute flytekit rejects.

Options:
${IMAGE_OPTIONS}
      --format FMT           table, json or yaml (default: table on a
                             terminal, else json)
  -h, --help                 show this help

Examples:
  imgcfg task-image '{{.image.gpu.fqn}}:{{.image.gpu.version}}' \\
    -i gpu=ghcr.io/org/gpu:2.1
  imgcfg task-image '{{.image.trainer}}' '{{.image.default.fqn}}:py3.11' \\
    -c config.yaml

${ENVIRONMENT}
`,

  'image-spec': `Usage: imgcfg image-spec FILE... [--format FMT]

Prints the image pyflyte builds for each ImageSpec YAML FILE, computed as
flytekit 1.15.4 does: [registry/]name:tag, where the tag hashes the spec's
fields (and the bytes of its requirements and copy files, read relative to
the working directory, not the spec's folder), and the spec's id. Nothing is
built. Exits 1, naming the file and key, for a spec flytekit rejects or
crashes on, or one with source_root (its tag depends on the modules a Python
process has loaded: it cannot be known outside it).

An --image value of the other commands that names an existing file is such a
file too (imgcfg resolve -i gpu=imagespec.yaml), as in pyflyte run.

Options:
      --format FMT           table, json or yaml (default: table on a
                             terminal, else json)
  -h, --help                 show this help

Examples:
  imgcfg image-spec imagespec.yaml
  imgcfg resolve -i imagespec.yaml -i gpu=gpu-spec.yaml
  imgcfg verify -i imagespec.yaml   # does it exist, or will pyflyte build it?

${ENVIRONMENT}
`,

  'default-image': `Usage: imgcfg default-image [--python-version X.Y] [--flytekit-version V]

Prints flytekit's default image: $FLYTE_INTERNAL_IMAGE when set, else
cr.flyte.org/flyteorg/flytekit:py<X.Y>-<version>.

Options:
      --python-version X.Y   3.8 to 3.12 (default: the python3 on PATH, else
                             the newest)
      --flytekit-version V   latest or a PEP 440 version (1.15.4, 1.16.0rc1,
                             1.10.3.post1, 2.0.0.dev3); one leading v is
                             dropped (default: the flytekit installed for
                             that python3, else latest)
  -h, --help                 show this help

Examples:
  imgcfg default-image
  imgcfg default-image --python-version 3.11 --flytekit-version 1.15.0
  FLYTE_INTERNAL_IMAGE=ghcr.io/org/base:1 imgcfg default-image
`,

  parse: `Usage: imgcfg parse REF [--strict] [--normalize] [--format json|table]

Splits an image reference. By default the lenient way flytekit does (never
fails, but an empty REF is an error): fqn, tag, digest. --strict checks the
OCI distribution grammar and gives domain and path; --normalize also fills in
Docker Hub's defaults and shows the familiar form.

Options:
      --strict               parse with the OCI grammar (Reference.parse);
                             fails on invalid input
      --normalize            Reference.parseNormalizedNamed: ubuntu ->
                             docker.io/library/ubuntu
      --format FMT           table or json (default: table on a terminal,
                             else json)
  -h, --help                 show this help

Examples:
  imgcfg parse localhost:5000/app:1.0
  imgcfg parse ghcr.io/Org/app:1 --strict
  imgcfg parse ubuntu:22.04 --normalize --format json
`,

  lint: `Usage: imgcfg lint [-c FILE] [--config-format yaml|ini] [--format text|json]
       imgcfg lint --tasks [PATH]... [-i SPEC]... [-c FILE] [options]

Checks a config file and reports, as file:line:col: message on stderr, sorted by
line: parse errors (duplicate names included), identifiers that are not valid
OCI references, images without a tag or digest (they float), an image named
default (flytekit never makes it the default image) and INI [DEFAULT] options
(configparser copies them into [images]). Exits 1 when there is a finding.

With --tasks, checks the task container_image templates ({{.image.gpu.fqn}}:…)
of the Python files under each PATH (default: .) against the configuration
\`imgcfg resolve\` gives for the same options: file:line:column for each
placeholder naming an image the configuration lacks or an attribute flytekit
rejects, then "N templates in M files, K problems". A PATH that does not exist
is a problem. .gitignore files and .git/info/exclude are honoured; .git,
node_modules, __pycache__ and virtual environments are skipped; binary,
non-UTF-8, unreadable and oversized (16 MiB) files and symlink loops are
warnings.

Options:
  -c, --config FILE          the file ('-' reads stdin). Default: discovered as
                             flytekit does
      --config-format FMT    yaml or ini, instead of guessing from the extension
      --tasks                check the task templates of the Python files under
                             PATH...
  -i, --image SPEC, --python-version, --flytekit-version, --strict
                             with --tasks: as for resolve
      --format FMT           text (default) or json: {findings, summary} on
                             stdout, findings with file, line, column, severity,
                             rule, image, message; with --tasks also every
                             template and the warnings
  -h, --help                 show this help

Examples:
  imgcfg lint
  imgcfg lint -c ~/.flyte/config.yaml
  imgcfg lint -c - < flytekit.config
  imgcfg lint -c config.yaml --format json | jq '.findings[].rule'
  imgcfg lint --tasks workflows/ -c ~/.flyte/config.yaml
  imgcfg lint --tasks . --format json > image-lint.json
`,

  verify: `Usage: imgcfg verify [-i SPEC]... [-c FILE] [options]

Asks the registries whether every image \`imgcfg resolve\` resolves exists:
the manifest of its tag (latest when it has none), or of its digest when it
is pinned, read and hashed (OCI distribution API). A pinned tag
(name:tag@sha256:...) is also checked: has it moved? Prints each image's
digest; exits 1 listing the images that are missing, have moved or could not
be checked. An --image value naming an ImageSpec file whose image is not in
the registry yet is "not built yet" (pyflyte builds it); when those are the
only images missing, exit 3.

Options:
${IMAGE_OPTIONS}
${REGISTRY_OPTIONS}
      --format FMT           table or json (default: table on a terminal,
                             else json)
  -h, --help                 show this help

Examples:
  imgcfg verify
  imgcfg verify -c config.yaml -i gpu=ghcr.io/org/gpu:2.1
  imgcfg verify --insecure-registry registry.lan:5000 --docker-config ./ci

${ENVIRONMENT}
  DOCKER_CONFIG              directory of the Docker config.json with
                             registry credentials
`,

  pin: `Usage: imgcfg pin -c FILE [--write] [options]

A tag moves; a digest does not. pin asks the registry which digest each
tagged image of the config file points at now and rewrites the identifier to
name:tag@sha256:... (the tag stays for people, the digest pins). By default
it prints the change as a unified diff (\`imgcfg pin -c f | patch -p0\`
applies it); --write edits the file in place, so comments, order and
formatting stay, and replaces it atomically. Nothing is written unless every
image resolves.

Options:
  -c, --config FILE          the file to pin ('-' reads stdin, for the diff
                             only)
      --config-format FMT    yaml or ini, instead of guessing from the
                             extension
      --write                edit the file instead of printing the diff
      --update               also re-pin pinned tags that have moved
${REGISTRY_OPTIONS}
  -h, --help                 show this help

Examples:
  imgcfg pin -c ~/.flyte/config.yaml
  imgcfg pin -c flytekit.config --write
  imgcfg pin -c config.yaml --update --write
  imgcfg pin -c config.yaml --insecure-registry registry.lan:5000 --timeout 30
`,

  schema: `Usage: imgcfg schema

Prints the JSON Schema (draft 2020-12) of \`imgcfg resolve --format json\`,
which is flytekit's ImageConfig.to_dict().

Options:
  -h, --help                 show this help

Examples:
  imgcfg schema > image-config.schema.json
`,
}
