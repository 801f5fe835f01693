#!/usr/bin/env bash
# Re-vendor Decap CMS into theme/static/vendor/decap-cms/ from the npm tarball: `tools/editor/vendor-decap.sh 3.16.3`.
# Only the built bundle is kept (decap-cms.js, its lazily loaded chunks and .wasm); the CMS needs no CDN at run time.
set -euo pipefail
version=${1:?usage: tools/editor/vendor-decap.sh VERSION}
here=$(cd "$(dirname "$0")/../.." && pwd)
dest=$here/theme/static/vendor/decap-cms
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "decap-cms@$version" >/dev/null && tar xzf "decap-cms-$version.tgz")
sum=$(sha256sum "$work/decap-cms-$version.tgz" | cut -d' ' -f1)
find "$dest" -maxdepth 1 -type f \( -name '*.js' -o -name '*.wasm' \) -delete
cp "$work/package/dist/decap-cms.js" "$work"/package/dist/*.decap-cms.js "$work"/package/dist/*.wasm "$dest/"
sed -i -e "1s/.*/decap-cms $version/" -e "s/decap-cms@[0-9.]*/decap-cms@$version/" \
  -e "s/decap-cms-[0-9.]*\.tgz/decap-cms-$version.tgz/" -e "s/^tarball sha256: .*/tarball sha256: $sum/" "$dest/VERSION"
sed -i "1s/Decap CMS [0-9.]*/Decap CMS $version/" "$dest/LICENSE"
echo "Decap CMS $version vendored in $dest ($(du -sh "$dest" | cut -f1))"
