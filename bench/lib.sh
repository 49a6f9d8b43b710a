# Shared by the bench/*/run scripts (sourced): the Release build they all use
# and the rows they give `bench/run all`'s one table.
#
#   KUTSU_BENCH_BUILD       the build folder (default build-bench/)
#   KUTSU_BENCH_SKIP_BUILD  set: the programs are built already (bench/run all)
#   KUTSU_BENCH_ROWS        set: a file each scenario appends its row to, as
#                           tab-separated scenario, kutsu, peer, ratio, target, met

build=${KUTSU_BENCH_BUILD:-build-bench}

# bench_build TARGET...: a Release build of what the benchmark runs.
bench_build() {
  if [[ -n "${KUTSU_BENCH_SKIP_BUILD:-}" ]]; then return 0; fi
  echo "== build Release in $build" >&2
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKUTSU_BENCH=ON -DKUTSU_TESTS=OFF \
    >/dev/null
  cmake --build "$build" --target "$@" -j "$(nproc)" >/dev/null
}

# bench_row SCENARIO KUTSU PEER RATIO TARGET MET ("—" where none applies).
bench_row() {
  [[ -n "${KUTSU_BENCH_ROWS:-}" ]] || return 0
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$KUTSU_BENCH_ROWS"
}
