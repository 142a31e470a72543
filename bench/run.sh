#!/usr/bin/env bash
# bench/run.sh: wall time and peak RSS of lifeguard, first run and re-runs,
# against the load floor, an earlier lifeguard and staticcheck, on one
# package pattern; and a check that every lifeguard run prints the same
# findings, byte for byte.
#
#   bench/run.sh [-n runs] [-C dir] [-e file] [-b rev] [packages...]
#                                                 default: -n 3, std cmd/...
#
#   -n runs   time each command this many times (the median is shown)
#   -C dir    run in dir (a module); default: this repository
#   -e file   the file (relative to dir) that the "one file edited" row
#             changes: a comment appended at its end, new on every run, so
#             that no position moves and the findings stay the same. The
#             row is left out without -e.
#   -b rev    also time lifeguard as built from the git revision rev of this
#             repository (the "before" row), for the ratios to today's
#
# The commands, each timed -n times with GNU time (/usr/bin/time):
#
#   floor         lifeguard -noop -cache=false PKGS
#                 parse + type-check every package (imports from export
#                 data), one no-op analyzer with a fact: what any
#                 go/analysis suite with facts costs through this driver
#   before        the -b revision's lifeguard PKGS (it has no cache)
#   first run     lifeguard PKGS, its cache emptied before each run
#   no change     lifeguard PKGS again, on the cache the first run filled
#   one file      lifeguard PKGS after -e's edit: that package and its
#                 importers are analyzed again
#   vet           go vet -vettool=lifeguard PKGS, re-run: the go command's
#                 cache serves it (its first run is untimed, as that cache
#                 is the machine's)
#   staticcheck   staticcheck PKGS, empty STATICCHECK_CACHE, for scale
#   staticcheck2  staticcheck PKGS again, on its cache
#
# The binaries are built first, untimed. The go command's build cache is
# filled first too (go list -export, which lifeguard's analysis reads its
# imports from): a machine that has built or vetted the code has it, and
# otherwise the go command compiles once (go vet does the same). Exit
# status 1 from a command means findings and is expected; anything else
# aborts. The edited file is restored on exit.
set -euo pipefail

runs=3
dir=
edit=
before=
while getopts 'n:C:e:b:h' opt; do
	case $opt in
	n) runs=$OPTARG ;;
	C) dir=$OPTARG ;;
	e) edit=$OPTARG ;;
	b) before=$OPTARG ;;
	h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
	*) echo "usage: bench/run.sh [-n runs] [-C dir] [-e file] [-b rev] [packages...]" >&2; exit 2 ;;
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
workdir=${dir:-$root}
workdir=$(cd "$workdir" && pwd)
editfile=
if [ -n "$edit" ]; then
	editfile=$workdir/$edit
	[ -w "$editfile" ] || { echo "bench/run.sh: -e $edit: not a writable file in $workdir" >&2; exit 2; }
	cp "$editfile" "$tmp/edit.orig"
fi
cleanup() {
	if [ -n "$editfile" ]; then cp "$tmp/edit.orig" "$editfile"; fi
	if [ -n "$before" ]; then git -C "$root" worktree remove --force "$tmp/before-src" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT

echo "building lifeguard and staticcheck (untimed)" >&2
(cd "$root" && go build -o "$tmp/lifeguard" ./cmd/lifeguard)
(cd "$root" && go build -o "$tmp/staticcheck" honnef.co/go/tools/cmd/staticcheck)
staticcheck_version=$("$tmp/staticcheck" -version 2>/dev/null | head -n 1 || true)
if [ -n "$before" ]; then
	git -C "$root" worktree add --detach "$tmp/before-src" "$before" >/dev/null 2>&1
	(cd "$tmp/before-src" && go build -o "$tmp/before" ./cmd/lifeguard)
fi

cd "$workdir"
echo "filling the build cache for: $* (go list -export, untimed)" >&2
go list -e -deps -test -compiled -export "$@" >/dev/null

# measure NAME PREPARE CMD...: run PREPARE, then CMD under GNU time, $runs
# times, appending "wall_s rss_kb" lines to $tmp/NAME.runs. The last run's
# output is kept in $tmp/NAME.out and .err.
measure() {
	local name=$1 prepare=$2
	shift 2
	local i status
	for ((i = 1; i <= runs; i++)); do
		$prepare
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

export LIFEGUARD_CACHE=$tmp/lifeguard-cache
export STATICCHECK_CACHE=$tmp/staticcheck-cache
nothing() { :; }
empty_caches() { rm -rf "$LIFEGUARD_CACHE" "$STATICCHECK_CACHE"; }
stamp=0
edit_one() {
	stamp=$((stamp + 1))
	cp "$tmp/edit.orig" "$editfile"
	printf '\n// bench/run.sh edit %s %s\n' "$$" "$stamp" >>"$editfile"
}

echo "timing $runs run(s) each in $workdir" >&2
rows=(floor)
measure floor nothing "$tmp/lifeguard" -noop -cache=false "$@"
if [ -n "$before" ]; then
	rows+=(before)
	measure before nothing "$tmp/before" "$@"
fi
rows+=(first)
measure first empty_caches "$tmp/lifeguard" "$@"
rows+=(nochange)
measure nochange nothing "$tmp/lifeguard" "$@"
if [ -n "$editfile" ]; then
	rows+=(onefile)
	measure onefile edit_one "$tmp/lifeguard" "$@"
	cp "$tmp/edit.orig" "$editfile"
fi
rows+=(vet)
# go vet's results live in the build cache, shared with everything else
# on the machine, so only its re-run is timed: one untimed run fills it.
go vet -vettool="$tmp/lifeguard" "$@" >/dev/null 2>&1 || true
measure vet nothing go vet -vettool="$tmp/lifeguard" "$@"
rows+=(staticcheck)
measure staticcheck empty_caches "$tmp/staticcheck" "$@"
rows+=(staticcheck2)
measure staticcheck2 nothing "$tmp/staticcheck" "$@"

# The same findings, byte for byte, from every lifeguard run: the first,
# the re-runs, and the earlier build's.
same=yes
for n in before nochange onefile; do
	[ -f "$tmp/$n.out" ] || continue
	if ! cmp -s "$tmp/first.out" "$tmp/$n.out"; then
		same=no
		echo "bench/run.sh: the $n run printed other findings than the first run:" >&2
		diff "$tmp/first.out" "$tmp/$n.out" | head -n 20 >&2 || true
	fi
done

median() {
	sort -g -k "$1,$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for n in "${rows[@]}"; do
	eval "${n}_s=\$(median 1 \"\$tmp/\$n.runs\")"
	eval "${n}_kb=\$(median 2 \"\$tmp/\$n.runs\")"
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
label() {
	case $1 in
	floor) echo "floor (-noop)" ;;
	before) echo "before ($before)" ;;
	first) echo "first run" ;;
	nochange) echo "no change" ;;
	onefile) echo "one file edited" ;;
	vet) echo "go vet -vettool, cached" ;;
	staticcheck) echo "staticcheck" ;;
	staticcheck2) echo "staticcheck, cached" ;;
	esac
}

echo
echo "packages:    $*"
echo "directory:   $workdir"
[ -n "$editfile" ] && echo "edited:      $edit"
echo "runs:        $runs (median shown)"
echo "machine:     $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(go version | cut -d' ' -f3-)"
echo "staticcheck: ${staticcheck_version:-?}"
echo "findings:    same in every lifeguard run: $same ($(wc -l <"$tmp/first.out") lines)"
echo
printf '%-24s %10s %16s\n' "" "wall (s)" "peak RSS (MiB)"
for n in "${rows[@]}"; do
	eval "s=\$${n}_s kb=\$${n}_kb"
	printf '%-24s %10s %16s\n' "$(label "$n")" "$s" "$(mib "$kb")"
done
echo
printf '%-24s %10s %16s\n' "first run / floor" "$(ratio "$first_s" "$floor_s")" "$(ratio "$first_kb" "$floor_kb")"
if [ -n "$before" ]; then
	printf '%-24s %10s %16s\n' "first run / before" "$(ratio "$first_s" "$before_s")" "$(ratio "$first_kb" "$before_kb")"
	printf '%-24s %10s %16s\n' "no change / before" "$(ratio "$nochange_s" "$before_s")" "$(ratio "$nochange_kb" "$before_kb")"
fi
printf '%-24s %10s %16s\n' "first run / staticcheck" "$(ratio "$first_s" "$staticcheck_s")" "$(ratio "$first_kb" "$staticcheck_kb")"
printf '%-24s %10s %16s\n' "no change / vet, cached" "$(ratio "$nochange_s" "$vet_s")" "$(ratio "$nochange_kb" "$vet_kb")"
printf '%-24s %10s %16s\n' "no change / staticcheck2" "$(ratio "$nochange_s" "$staticcheck2_s")" "$(ratio "$nochange_kb" "$staticcheck2_kb")"
echo
echo "Markdown row (docs/performance.md): packages | floor | before | first run | no change | one file | go vet cached | staticcheck | staticcheck cached, each s / MiB"
cell() {
	local n=$1
	if [[ " ${rows[*]} " == *" $n "* ]]; then
		eval "echo \"\$${n}_s / \$(mib \$${n}_kb)\""
	else
		echo "-"
	fi
}
printf '| `%s` | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$*" "$(cell floor)" "$(cell before)" "$(cell first)" \
	"$(cell nochange)" "$(cell onefile)" "$(cell vet)" "$(cell staticcheck)" "$(cell staticcheck2)"
[ "$same" = yes ]
