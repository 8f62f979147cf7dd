#!/bin/sh
# Shell completion scripts for the release archives and packages, written
# by the binary itself (cobra), so they never drift from its commands.
set -e
cd "$(dirname "$0")/.."
rm -rf completions
mkdir completions
# The release build's settings (.goreleaser.yml), so this reuses its compile.
CGO_ENABLED=0 go build -trimpath -o completions/stormwatch-gen .
for sh in bash zsh fish; do
  ./completions/stormwatch-gen completion "$sh" > "completions/stormwatch.$sh"
done
rm completions/stormwatch-gen
