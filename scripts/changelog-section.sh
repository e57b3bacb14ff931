#!/usr/bin/env bash
# Prints the body of CHANGELOG.md's section for a version (`## [1.2.3] - 2027-01-31`), without
# its heading, for the release notes. Fails with one line when the section is missing or empty,
# so a tag cannot be released before its changes are written down.
set -euo pipefail
version="${1:?usage: changelog-section.sh VERSION}"
file="${2:-$(dirname "$0")/../CHANGELOG.md}"

body=$(awk -v v="$version" '
  /^## \[/ { inside = (index($0, "## [" v "]") == 1); next }
  inside { print }
' "$file")
if [ -z "$(printf '%s' "$body" | tr -d '[:space:]')" ]; then
  echo "CHANGELOG.md has no section '## [$version]' with content: move the Unreleased entries under it" >&2
  exit 1
fi
printf '%s\n' "$body" | sed -e '/./,$!d'
