#!/usr/bin/env bash
# scripts/samefindings.sh: show that two builds of lifeguard report the same
# findings, byte for byte, on the corpora refactorings are checked against.
#
#   scripts/samefindings.sh snapshot BIN OUT   run BIN over the corpora, outputs in OUT
#   scripts/samefindings.sh compare OLD NEW    diff two snapshot directories
#   scripts/samefindings.sh REV                build REV (a git revision) and the
#                                              work tree, snapshot both, compare
#
# The corpora, each in the text format and in -json (the go/analysis JSON,
# related information included):
#   - GOROOT's std cmd/...;
#   - golang.org/x/tools v0.52.0 and honnef.co/go/tools v0.8.2, from the
#     module cache (downloaded if missing);
#   - testdata/demo (in place: it needs the module around it);
#   - every analyzer's testdata packages (GOPATH mode, as analysistest loads
#     them), with the whole suite, with each analyzer alone, and with the
#     flags their tests set.
# The analyzers' fixtures are copied once, from the work tree, into
# OUT/../fixtures, so that both builds read the same files even when a change
# moves them.
# Exit status: 0 same findings, 1 differences (printed), 2 errors.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
xtools=golang.org/x/tools@v0.52.0
honnef=honnef.co/go/tools@v0.8.2

# fixtures DIR: copy the analyzers' testdata packages into DIR (once), as
# the GOPATH tree DIR/gopath/src/...
fixtures() {
	local dir=$1
	if [ -d "$dir/gopath" ]; then
		return
	fi
	mkdir -p "$dir/gopath/src"
	# Analyzer testdata lives in analyzers/NAME/testdata/src or, before
	# that move, in testdata/src.
	local src
	for src in "$root"/testdata/src "$root"/analyzers/*/testdata/src; do
		if [ -d "$src" ]; then
			cp -r "$src"/. "$dir/gopath/src/"
		fi
	done
}

# run OUT NAME DIR ARGS...: run the binary in DIR, keeping stdout, stderr and
# the exit status. Status 1 (findings) is success.
run() {
	local out=$1 name=$2 dir=$3
	shift 3
	local status=0
	(cd "$dir" && "$bin" "$@") >"$out/$name.out" 2>"$out/$name.err" || status=$?
	echo "$status" >"$out/$name.status"
	# -json names files by absolute path: the fixtures' copy is named the
	# same way in every snapshot.
	sed -i "s#$fix/#FIXTURES/#g" "$out/$name.out" "$out/$name.err"
	if [ "$status" -gt 1 ]; then
		echo "samefindings: $name: exit $status" >&2
		tail -n 5 "$out/$name.err" >&2
	fi
}

snapshot() {
	bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	local out=$2
	mkdir -p "$out"
	fix=$(cd "$out/.." && pwd)/fixtures
	fixtures "$fix"
	local modcache goroot
	modcache=$(go env GOMODCACHE)
	goroot=$(go env GOROOT)
	if [ ! -d "$modcache/$xtools" ] || [ ! -d "$modcache/$honnef" ]; then
		go mod download "$xtools" "$honnef"
		(cd "$modcache/$xtools" && go mod download)
		(cd "$modcache/$honnef" && go mod download)
	fi
	local fmt
	for fmt in text json; do
		local flag=()
		[ "$fmt" = json ] && flag=(-json)
		echo "samefindings: $out: $fmt" >&2
		run "$out" "std.$fmt" "$goroot/src" "${flag[@]}" std cmd/...
		run "$out" "xtools.$fmt" "$modcache/$xtools" "${flag[@]}" ./...
		run "$out" "honnef.$fmt" "$modcache/$honnef" "${flag[@]}" ./...
		run "$out" "demo.$fmt" "$root/testdata/demo" "${flag[@]}" ./...
		(
			export GOPATH=$fix/gopath GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local
			run "$out" "testdata.$fmt" "$fix/gopath" "${flag[@]}" ./src/...
			run "$out" "testdata-staticcheck.$fmt" "$fix/gopath" "${flag[@]}" -staticcheck ./src/...
			local a
			for a in cmdwait pipedrain defercancel ctxbreak handlerrecover lostcancel; do
				run "$out" "testdata-$a.$fmt" "$fix/gopath" "${flag[@]}" "-$a" ./src/...
			done
			run "$out" "testdata-flags.$fmt" "$fix/gopath" "${flag[@]}" \
				'-cmdwait.wait-funcs=cmdwait/flags.Reap,(*cmdwait/flags.supervisor).Adopt' \
				'-defercancel.cancel-funcs=(defercancel/flags.Leaser).Lease,defercancel/flags.NewContext' \
				./src/cmdwait/flags ./src/defercancel/flags ./src/handlerrecover/flags
		)
	done
}

compare() {
	if diff -r "$1" "$2"; then
		echo "samefindings: same findings ($(cat "$1"/*.out | wc -l) lines of output in $(ls "$1"/*.out | wc -l) runs)"
		return 0
	fi
	return 1
}

case ${1:-} in
snapshot) snapshot "$2" "$3" ;;
compare) compare "$2" "$3" ;;
'' | -h) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" ;;
*)
	rev=$1
	tmp=$(mktemp -d)
	trap 'git -C "$root" worktree remove --force "$tmp/old-src" 2>/dev/null; rm -rf "$tmp"' EXIT
	git -C "$root" worktree add --detach "$tmp/old-src" "$rev" >/dev/null
	(cd "$tmp/old-src" && go build -o "$tmp/old-lifeguard" ./cmd/lifeguard)
	(cd "$root" && go build -o "$tmp/new-lifeguard" ./cmd/lifeguard)
	snapshot "$tmp/old-lifeguard" "$tmp/old"
	snapshot "$tmp/new-lifeguard" "$tmp/new"
	compare "$tmp/old" "$tmp/new"
	;;
esac
