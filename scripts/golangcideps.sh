#!/usr/bin/env bash
# scripts/golangcideps.sh: run lifeguard over every module the golangci-lint
# module depends on, as docs/real-world.md records it.
#
#   scripts/golangcideps.sh list              the modules' directories, one a line
#   scripts/golangcideps.sh run BIN OUT       run BIN over each module's ./...;
#                                             per module OUT/NAME.{out,err,status,pkgs}
#   scripts/golangcideps.sh compare OLD NEW   the modules whose output differs
#
# golangci-lint's own module directory is downloaded into the module cache
# (GOLANGCI, default v2.15.0), and `go mod download` there fetches every
# module it depends on. Each module is analyzed where it is, read-only, as
# `go vet ./...` would be run there. A module that does not load that way
# (no go.mod, an incomplete go.sum, a pinned x/tools that no longer compiles
# with this Go) is copied to a writable directory and prepared as its users
# would prepare it: go mod init, golangci-lint's x/tools, go mod tidy. Three
# need more: wmi is Windows-only (GOOS=windows), grouper vendors
# inconsistently (-mod=mod), client_model v0.2.0 needs the golang/protobuf
# of its day (v1.5.3); modules of multi-module repositories drop their
# relative replace directives. What still fails to load is reported with its first
# error line; docs/real-world.md says why each cannot be analyzed here.
set -euo pipefail

golangci=${GOLANGCI:-github.com/golangci/golangci-lint/v2@v2.15.0}
modcache=$(go env GOMODCACHE)

list() {
	local dir="$modcache/$golangci"
	if [ ! -d "$dir" ]; then
		go mod download "$golangci"
	fi
	(cd "$dir" && GOWORK=off GOFLAGS=-mod=mod go mod download && GOWORK=off GOFLAGS=-mod=mod go list -m -f '{{if not .Main}}{{.Dir}}{{end}}' all) | grep .
}

# prepare DIR NAME: a writable copy of the module in DIR, ready to load.
prepare() {
	local dir=$1 name=$2
	local rel=${dir#"$modcache"/}
	local mod=${rel%@*}
	mod=$(echo "$mod" | sed -E 's/!([a-z])/\U\1/g')
	local w=${TMPDIR:-/tmp}/lifeguard-gcdeps/$name
	rm -rf "$w"
	mkdir -p "$(dirname "$w")"
	cp -r "$dir" "$w"
	chmod -R u+w "$w"
	(
		cd "$w"
		export GOWORK=off GOFLAGS=-mod=mod
		[ -f go.mod ] || go mod init "$mod" >/dev/null 2>&1
		# A module of a multi-module repository may replace its siblings
		# by relative paths that the module cache does not hold: take
		# the published versions instead, as a user outside the
		# repository gets them.
		local old
		for old in $(go mod edit -json | python3 -c 'import json,sys; [print(r["Old"]["Path"]) for r in json.load(sys.stdin).get("Replace") or [] if r["New"]["Path"].startswith(".")]'); do
			go mod edit -dropreplace="$old"
		done
		if grep -qs 'golang.org/x/tools v0\.\(1[0-9]\|2[0-4]\)\.' go.mod; then
			go get golang.org/x/tools@v0.52.0 >/dev/null 2>&1 || true
		fi
		case $mod in
		github.com/prometheus/client_model) go get github.com/golang/protobuf@v1.5.3 >/dev/null 2>&1 || true ;;
		esac
		go mod tidy -e >/dev/null 2>&1 || true
	)
	echo "$w"
}

# analyze BIN DIR OUT NAME [ENV...]: run BIN over DIR's ./..., recording
# output, errors, exit status and the number of packages.
analyze() {
	local bin=$1 dir=$2 out=$3 name=$4
	shift 4
	local status=0
	(cd "$dir" && env "$@" timeout 900 "$bin" ./...) >"$out/$name.out" 2>"$out/$name.err" || status=$?
	echo "$status" >"$out/$name.status"
	(cd "$dir" && env "$@" go list ./... 2>/dev/null | wc -l) >"$out/$name.pkgs" || echo 0 >"$out/$name.pkgs"
	return 0
}

run() {
	local bin
	bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
	local out=$2
	mkdir -p "$out"
	local dirs
	dirs=$(list)
	local dir name w envs
	while read -r dir; do
		name=$(echo "${dir#"$modcache"/}" | sed 's#[/@]#_#g')
		analyze "$bin" "$dir" "$out" "$name" GOFLAGS=-mod=readonly
		if [ "$(cat "$out/$name.status")" -gt 1 ]; then
			w=$(prepare "$dir" "$name")
			envs=(GOWORK=off GOFLAGS=-mod=mod)
			case $name in
			github.com_yusufpapurcu_wmi_*) envs+=(GOOS=windows) ;;
			esac
			analyze "$bin" "$w" "$out" "$name" "${envs[@]}"
			echo prepared >"$out/$name.how"
		fi
		echo "$(cat "$out/$name.status") $(wc -l <"$out/$name.out") findings $(cat "$out/$name.pkgs") packages $name $(grep -m1 . "$out/$name.err" | cut -c1-100 || true)"
	done <<<"$dirs"
	local mods pkgs
	mods=$(ls "$out"/*.status | wc -l)
	pkgs=$(cat "$out"/*.pkgs | awk '{s+=$1} END {print s}')
	echo "golangcideps: $mods modules, $pkgs packages; exit 2 in $(grep -l '^2$' "$out"/*.status | wc -l)"
}

compare() {
	local old=$1 new=$2 f name diffs=0
	for f in "$new"/*.status; do
		name=$(basename "$f" .status)
		if ! cmp -s "$old/$name.out" "$new/$name.out" || ! cmp -s "$old/$name.status" "$new/$name.status"; then
			echo "== $name"
			diff "$old/$name.out" "$new/$name.out" || true
			diffs=$((diffs + 1))
		fi
	done
	echo "golangcideps: $diffs modules differ"
}

case ${1:-} in
list) list ;;
prepare) prepare "$2" "$(basename "$2" | sed "s#@#_#")" ;;
run) run "$2" "$3" ;;
compare) compare "$2" "$3" ;;
*)
	sed -n '2,9p' "$0" >&2
	exit 2
	;;
esac
