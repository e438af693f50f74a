#!/usr/bin/env bash
# Installs the SDK component of a built tree into a fresh prefix, then builds
# examples/ as a separate project against it with find_package(Tessera).
# Usage: package_consumer_test.sh CMAKE BUILD_DIR EXAMPLES_DIR WORK_DIR [FLAGS]
# FLAGS (compile and link) are for a sanitized build's library.
set -euo pipefail
cmake="$1" build="$2" examples="$3" work="$4" flags="${5:-}"
rm -rf "$work"
mkdir -p "$work"
"$cmake" --install "$build" --component sdk --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/include/tessera/tessera.hpp"
test -f "$work/prefix/lib/cmake/Tessera/TesseraConfig.cmake"
# Nothing of the server is installed with the SDK.
if find "$work/prefix" -name '*.hpp' | grep -v '/include/tessera/' | grep -q .; then
  echo "unexpected headers outside include/tessera" >&2
  exit 1
fi
generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
options=()
command -v ccache > /dev/null && options=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ -n "$flags" ]]; then
  options+=(-DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags")
fi
"$cmake" -S "$examples" -B "$work/build" "${generator[@]}" "${options[@]}" \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
"$cmake" --build "$work/build" -j 2 > "$work/build.log"
test -x "$work/build/list_clients"
# A program without its environment explains itself and exits 2.
set +e
"$work/build/list_clients" 2> /dev/null
status=$?
set -e
test "$status" -eq 2
echo "package consumer OK"
