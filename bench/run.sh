#!/usr/bin/env bash
# bench/run.sh: wall time and peak RSS of lifeguard against its load floor
# and staticcheck, on one package pattern.
#
#   bench/run.sh [-n runs] [-C dir] [packages...]     default: -n 3, std cmd/...
#
# Three commands are timed, each -n times, with GNU time (/usr/bin/time):
#
#   floor        lifeguard -noop PKGS    load + parse + type-check, one no-op
#                                        analyzer with a fact (the same driver
#                                        and load mode as a real run)
#   lifeguard    lifeguard PKGS          every analyzer of the suite
#   staticcheck  staticcheck PKGS        the version pinned by go.mod's tool line
#
# Both binaries are built first, untimed. staticcheck is the binary
# `go tool staticcheck` runs, called directly so that neither side pays for a
# go command in front of it, and with an empty STATICCHECK_CACHE on every run:
# lifeguard keeps no result cache, so both do the whole analysis each time.
# Test files are included by both (their default).
# Exit status 1 means findings and is expected; anything else aborts.
#
# The table shows the median of the runs, then lifeguard/floor and
# lifeguard/staticcheck ratios, and a Markdown row for docs/performance.md.
set -euo pipefail

runs=3
dir=
while getopts 'n:C:h' opt; do
	case $opt in
	n) runs=$OPTARG ;;
	C) dir=$OPTARG ;;
	h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "usage: bench/run.sh [-n runs] [-C dir] [packages...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	set -- std cmd/...
fi
case $runs in
'' | *[!0-9]* | 0) echo "bench/run.sh: -n wants a positive number, got '$runs'" >&2; exit 2 ;;
esac
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -f '%e %M' true >/dev/null 2>&1; then
	echo "bench/run.sh: needs GNU time at /usr/bin/time (Debian/Ubuntu: apt-get install time)" >&2
	exit 2
fi

root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "building lifeguard and staticcheck (untimed)" >&2
(cd "$root" && go build -o "$tmp/lifeguard" ./cmd/lifeguard)
(cd "$root" && go build -o "$tmp/staticcheck" honnef.co/go/tools/cmd/staticcheck)
staticcheck_version=$("$tmp/staticcheck" -version 2>/dev/null | head -n 1 || true)

workdir=${dir:-$root}
cd "$workdir"

# go/packages and staticcheck both start with `go list`; run it once so that
# the first timed run does not also pay for filling the build cache (cgo).
echo "warming the go list cache for: $*" >&2
go list -e -deps -test -compiled "$@" >/dev/null

# measure NAME CMD...: run CMD $runs times, appending "wall_s rss_kb" lines to
# $tmp/NAME.runs. Output goes to $tmp/NAME.out/.err (the last run's is kept).
measure() {
	local name=$1
	shift
	local i status
	for ((i = 1; i <= runs; i++)); do
		rm -rf "$tmp/staticcheck-cache"
		export STATICCHECK_CACHE="$tmp/staticcheck-cache"
		status=0
		/usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || status=$?
		if [ "$status" -gt 1 ]; then
			echo "bench/run.sh: $name exited $status:" >&2
			tail -n 20 "$tmp/$name.err" >&2
			exit 1
		fi
		# GNU time prints "Command exited with non-zero status N" first then.
		tail -n 1 "$tmp/$name.time" >>"$tmp/$name.runs"
		printf '  %-12s run %d/%d: %s s, %s KiB, exit %d, %d output lines\n' \
			"$name" "$i" "$runs" $(tail -n 1 "$tmp/$name.time") "$status" \
			"$(cat "$tmp/$name.out" "$tmp/$name.err" | wc -l)" >&2
	done
}

# median COLUMN FILE: the median of a column of numbers.
median() {
	sort -g -k "$1,$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "timing $runs run(s) each in $workdir" >&2
measure floor "$tmp/lifeguard" -noop "$@"
measure lifeguard "$tmp/lifeguard" "$@"
measure staticcheck "$tmp/staticcheck" "$@"

for n in floor lifeguard staticcheck; do
	eval "${n}_s=\$(median 1 \"\$tmp/\$n.runs\")"
	eval "${n}_kb=\$(median 2 \"\$tmp/\$n.runs\")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

echo
echo "packages:    $*"
echo "directory:   $workdir"
echo "runs:        $runs (median shown)"
echo "machine:     $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(go version | cut -d' ' -f3-)"
echo "staticcheck: ${staticcheck_version:-?}"
echo
printf '%-24s %10s %16s\n' "" "wall (s)" "peak RSS (MiB)"
printf '%-24s %10s %16s\n' "floor (lifeguard -noop)" "$floor_s" "$(mib "$floor_kb")"
printf '%-24s %10s %16s\n' "lifeguard" "$lifeguard_s" "$(mib "$lifeguard_kb")"
printf '%-24s %10s %16s\n' "staticcheck" "$staticcheck_s" "$(mib "$staticcheck_kb")"
printf '%-24s %10s %16s\n' "lifeguard / floor" "$(ratio "$lifeguard_s" "$floor_s")" "$(ratio "$lifeguard_kb" "$floor_kb")"
printf '%-24s %10s %16s\n' "lifeguard / staticcheck" "$(ratio "$lifeguard_s" "$staticcheck_s")" "$(ratio "$lifeguard_kb" "$staticcheck_kb")"
echo
echo "Markdown row (docs/performance.md):"
printf '| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$*" \
	"$floor_s" "$(mib "$floor_kb")" "$lifeguard_s" "$(mib "$lifeguard_kb")" \
	"$staticcheck_s" "$(mib "$staticcheck_kb")" \
	"$(ratio "$lifeguard_s" "$floor_s") / $(ratio "$lifeguard_kb" "$floor_kb")" \
	"$(ratio "$lifeguard_s" "$staticcheck_s") / $(ratio "$lifeguard_kb" "$staticcheck_kb")"
