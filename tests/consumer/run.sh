#!/usr/bin/env bash
# The consumer test: install the freshly built tree into a scratch prefix, then build and run a
# small C program against it twice — through find_package(warden) and through pkg-config.
#   run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" >/dev/null

# find_package(warden)
cmake -S "$src/tests/consumer" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
libdir=$(dirname "$(find "$work/prefix" -name 'libwarden.so' | head -1)")
LD_LIBRARY_PATH="$libdir" "$work/cmake-build/consumer"

# pkg-config
pcdir=$(dirname "$(find "$work/prefix" -name warden.pc | head -1)")
export PKG_CONFIG_PATH="$pcdir"
cc -std=c11 -Wall -Werror "$src/tests/consumer/consumer.c" $(pkg-config --cflags --libs warden) -o "$work/pc-consumer"
LD_LIBRARY_PATH="$libdir" "$work/pc-consumer"
