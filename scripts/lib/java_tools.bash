# scripts/lib/java_tools.bash: what scripts/kafka.sh and scripts/apicurio.sh
# share to run a Java service from Maven Central with Debian's tools. Source
# it after setting TOOL (the script's name, for messages).
#   say / die MESSAGE                    a message on stderr (die exits 1)
#   pom_property POM NAME                <NAME>value</NAME> of a checked-in POM
#   install_missing COMMAND:PACKAGE...   apt-get install the packages whose
#                                        command is missing, nothing else
#   maven_cache_dir NAME-VERSION         the cache folder for NAME-VERSION:
#                                        ~/.cache/duban/NAME-VERSION (XDG)
#   maven_cache_stale CACHE              true when CACHE is not complete or
#                                        $POM is newer (then fill it, and touch
#                                        CACHE/.complete)
#   maven_run CACHE GOAL ARGS...         mvn -f $POM GOAL ARGS, log in
#                                        CACHE/mvn.log; dies with its ERRORs

say() { echo "$TOOL: $*" >&2; }
die() { say "$@"; exit 1; }

pom_property() { sed -n "s:.*<$2>\(.*\)</$2>.*:\1:p" "$1"; }

install_missing() {
    local need=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    say "installing ${need[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
}

maven_cache_dir() { echo "${XDG_CACHE_HOME:-$HOME/.cache}/duban/$1"; }

maven_cache_stale() { [ ! -f "$1/.complete" ] || [ "$POM" -nt "$1/.complete" ]; }

maven_run() {
    local cache=$1 goal=$2
    shift 2
    mkdir -p "$cache"
    mvn -B -Dstyle.color=never -f "$POM" "$goal" "$@" >"$cache/mvn.log" 2>&1 \
        || die "mvn $goal failed: $(grep ERROR "$cache/mvn.log" | head -5)"
}
